import { logger } from '../../observability/logger';
import { SignUpCommand, type UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../runtime';
import { redirect, type HttpIn, type HttpOut } from '../http';
import { extendTransaction, type Transaction } from '../transactions';
import { openPost } from '../post';
import { appClientOf, hintsOf, secretHashParams, toErrorPage } from '../dialogue';
import { FLASH_PARAM, saveFlash, type Flash } from '../flash';
import { mapPoolError, type FormError } from '../form-errors';
import { allowCodeSend } from '../send-guard';
import { stepUrl } from '../routes';
import { localeOf } from '../locale';
import { parseSignup, signupForm } from './form';
import { createPending, PENDING_PARAM } from './pending';
import { continueAfterConfirmation } from './continue';

/**
 * `POST /signup`: the generated form checked field by field (post → redirect → get with every error and
 * what was typed, never the passwords), the per-IP send cap, then SignUp. A new account waits for its
 * code in a pending sign-up that keeps the authorization request (/confirmUser?p=…).
 */
export const SELF_SERVICE_TTL_MS = 30 * 60_000;
/** Flash value holding every password rule that failed (codes, comma-separated; not the password). */
export const PASSWORD_RULES_VALUE = 'password.rules';

export function selfSignUpAllowed(pool: UserPoolType | undefined): boolean {
  return !!pool && pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true;
}

async function back(rt: HostedRuntime, req: HttpIn, tx: Transaction, browserId: string, flash: Flash): Promise<HttpOut> {
  const id = await saveFlash(rt, browserId, flash);
  return redirect(stepUrl('/signup', tx.id, hintsOf(req), { [FLASH_PARAM]: id }));
}

/** Where a pool error belongs on the form. */
function fieldOfPoolError(name: string, code: FormError): string {
  if (name === 'UsernameExistsException' || code === 'username_exists') return 'username';
  if (name === 'InvalidPasswordException') return 'password';
  return '';
}

export async function handleSignUp(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const opened = await openPost(rt, req, '/signup');
  if (!opened.ok) return opened.out;
  const { tx, form, browserId } = opened;
  const request = tx.state.request;
  const [pool, client] = await Promise.all([rt.directory.pool(request.poolId).catch(() => undefined), appClientOf(rt, request)]);
  if (!client?.ClientId) return toErrorPage(req, 'invalid_client');
  // Admin-created users only: the page says so; a POST just goes back to sign-in.
  if (!pool || !selfSignUpAllowed(pool)) return redirect(stepUrl('/login', tx.id, hintsOf(req)));
  await extendTransaction(rt, tx, SELF_SERVICE_TTL_MS);

  const shape = signupForm(pool, client);
  const parsed = parseSignup(shape, form, { aliasAttributes: pool.AliasAttributes });
  if (!parsed.ok) {
    const values = { ...parsed.values };
    if (parsed.passwordRules.length > 1) values[PASSWORD_RULES_VALUE] = parsed.passwordRules.join(',');
    return back(rt, req, tx, browserId, { values, errors: parsed.errors });
  }
  const { username, password, attributes } = parsed.value;
  const keep: Record<string, string> = {};
  for (const [k, v] of form) if (k === 'username' || k.startsWith('attr.')) keep[k] = v;

  const allowed = await allowCodeSend(rt, req);
  if (!allowed.ok) return back(rt, req, tx, browserId, { values: keep, errors: { '': 'send_limit' } });

  const locale = localeOf(req);
  let out;
  try {
    out = await rt.cognito.send(
      new SignUpCommand({
        ClientId: client.ClientId,
        Username: username,
        Password: password,
        UserAttributes: attributes,
        ...(client.ClientSecret ? { SecretHash: secretHashParams(client, username)['SECRET_HASH'] } : {}),
        ClientMetadata: { 'portico:locale': locale },
      }),
    );
  } catch (e) {
    const name = (e as { name?: string })?.name ?? '';
    const message = (e as { message?: string })?.message ?? '';
    let code: FormError;
    if (name === 'LimitExceededException') code = 'send_limit';
    else if (name === 'NotAuthorizedException' && /not permitted/i.test(message)) code = 'signup_unavailable';
    else if (name === 'InvalidParameterException' && /username should be|username cannot be/i.test(message)) code = 'username_shape';
    else {
      const mapped = mapPoolError(e);
      code = mapped.code;
      if (!mapped.expected) logger().error({ error: name }, 'hosted sign-up failed');
    }
    return back(rt, req, tx, browserId, { values: keep, errors: { [fieldOfPoolError(name, code)]: code } });
  }

  // With the sign-in name an email or phone, the pool's username is the sub (the link's user_name).
  const poolUsername = (pool.UsernameAttributes ?? []).length > 0 && out.UserSub ? out.UserSub : username;
  if (out.UserConfirmed) {
    // A pre-sign-up trigger confirmed the account: nothing to wait for.
    return continueAfterConfirmation(rt, req, { browserId, request, typedUsername: username, username: poolUsername, session: out.Session, txId: tx.id });
  }
  const pending = await createPending(rt, {
    poolId: request.poolId,
    clientId: client.ClientId,
    username: poolUsername,
    browserId,
    data: {
      request,
      session: out.Session,
      typedUsername: username,
      destination: out.CodeDeliveryDetails?.Destination,
      medium: out.CodeDeliveryDetails?.DeliveryMedium,
      txId: tx.id,
    },
  });
  return redirect(stepUrl('/confirmUser', tx.id, hintsOf(req), { [PENDING_PARAM]: pending.id }));
}
