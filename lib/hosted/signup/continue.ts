import { logger } from '../../observability/logger';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../runtime';
import { redirect, type HttpIn, type HttpOut } from '../http';
import { createTransaction, loadTransaction, saveTransaction, type Transaction } from '../transactions';
import { advance, appClientOf, clientMetadata, secretHashParams } from '../dialogue';
import { complete } from '../complete';
import { stepUrl } from '../routes';
import { localeOf } from '../locale';
import type { AuthorizeRequest } from '../../oauth/types';

/**
 * After an account is confirmed, the person continues the authorization request they started from. With
 * the pool's Session (the browser that signed up, a client with ALLOW_USER_AUTH) Portico signs them in
 * at once (InitiateAuth USER_AUTH + Session; MFA challenges continue on the usual pages); otherwise they
 * land on the sign-in form with a notice and their name filled in, and sign in once more.
 */
export interface Continuation {
  browserId: string;
  request: AuthorizeRequest;
  typedUsername: string;
  /** The pool's username (what SECRET_HASH and USER_AUTH's USERNAME are computed over). */
  username: string;
  /** ConfirmSignUp's Session, when there is one. */
  session?: string;
  /** The transaction the sign-up was made in, if this browser still has it. */
  txId?: string;
  /** Cookies to set on the answer (a browser cookie just created for a link opened elsewhere). */
  cookies?: string[];
}

/** The transaction to continue in: the original one while it is alive and at the password, else a new one. */
async function transactionFor(rt: HostedRuntime, c: Continuation): Promise<Transaction> {
  if (c.txId) {
    const found = await loadTransaction(rt, c.txId, c.browserId);
    if (found.ok && found.tx.state.step === 'login' && found.tx.state.request.clientId === c.request.clientId) return found.tx;
  }
  return createTransaction(rt, c.browserId, { request: c.request, step: 'login', typedUsername: c.typedUsername });
}

function withCookies(out: HttpOut, cookies: string[] | undefined): HttpOut {
  if (cookies && cookies.length > 0) out.cookies = [...(out.cookies ?? []), ...cookies];
  return out;
}

export async function continueAfterConfirmation(rt: HostedRuntime, req: HttpIn, c: Continuation): Promise<HttpOut> {
  const tx = await transactionFor(rt, c);
  if (c.session) {
    const client = await appClientOf(rt, c.request);
    if (client?.ClientId) {
      try {
        const out = await rt.cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_AUTH',
            ClientId: client.ClientId,
            AuthParameters: { USERNAME: c.username, ...secretHashParams(client, c.username) },
            Session: c.session,
            ClientMetadata: clientMetadata(c.request, localeOf(req)),
          }),
        );
        tx.state = { request: c.request, step: 'login', typedUsername: c.typedUsername, username: c.username };
        return withCookies(await advance(rt, req, tx, out, complete), c.cookies);
      } catch (e) {
        // The Session ran out (or the client changed): the password form still gets them there.
        logger().warn({ error: (e as { name?: string })?.name }, 'hosted sign-in after sign-up fell back to the password');
      }
    }
  }
  tx.state = { request: c.request, step: 'login', typedUsername: c.typedUsername, notice: 'account_confirmed' };
  await saveTransaction(rt, tx);
  return withCookies(redirect(stepUrl('/login', tx.id, c.request)), c.cookies);
}
