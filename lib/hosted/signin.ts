import { localeOf } from './locale';
import type { HostedRuntime } from './runtime';
import type { HttpIn, HttpOut } from './http';
import { saveTransaction } from './transactions';
import { openPost } from './post';
import { advance, appClientOf, clientMetadata, failStep, toErrorPage, toStep } from './dialogue';
import { complete } from './complete';
import { passwordAuth, passwordFlowOf } from './password-auth';

/**
 * The password form (`POST /login`). The server runs USER_SRP_AUTH itself (the SRP client half in
 * lib/pool-client), or USER_PASSWORD_AUTH for a client that allows only that; the browser only ever
 * posts username and password to Portico.
 */
/** Kept here too: tests and the account page import it from the sign-in form's module. */
export { passwordFlowOf };

export async function handleSignIn(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const opened = await openPost(rt, req, '/login');
  if (!opened.ok) return opened.out;
  const { tx, form } = opened;
  const request = tx.state.request;
  const typed = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  // Starting (again) from the password: whatever challenge was open is abandoned.
  tx.state = { request, step: 'login', typedUsername: typed || tx.state.typedUsername };
  if (!typed || !password || typed.length > 128 || password.length > 256) {
    await saveTransaction(rt, tx);
    return toStep(req, tx, 'missing_fields');
  }
  const client = await appClientOf(rt, request);
  if (!client?.ClientId) return toErrorPage(req, 'invalid_client');
  const flow = passwordFlowOf(client);
  if (!flow) {
    await saveTransaction(rt, tx);
    return toStep(req, tx, 'sign_in_unavailable');
  }
  try {
    const { answer, poolUsername } = await passwordAuth(rt, client as typeof client & { ClientId: string }, {
      poolId: request.poolId,
      flow,
      username: typed,
      password,
      clientMetadata: clientMetadata(request, localeOf(req)),
    });
    if (poolUsername) tx.state.username = poolUsername;
    return await advance(rt, req, tx, answer, complete);
  } catch (e) {
    await saveTransaction(rt, tx);
    return failStep(rt, req, tx, e);
  }
}
