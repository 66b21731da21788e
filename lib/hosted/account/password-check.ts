import { RevokeTokenCommand, type UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../runtime';
import { passwordAuth, passwordFlowOf } from '../password-auth';
import type { FormError } from '../form-errors';

/**
 * "Type your password again" for the account page's sensitive actions, checked by the pool itself: an
 * SRP sign-in for the session's user (USER_PASSWORD_AUTH for a client that allows only that), so the
 * pool's lockout counts wrong tries. Tokens, or any further challenge (MFA), mean the password was
 * right; the tokens of that check are not wanted and their refresh token is revoked.
 */
export type PasswordCheck = { ok: true } | { ok: false; error: FormError };

function refused(e: unknown): PasswordCheck | undefined {
  const name = (e as { name?: string }).name ?? '';
  const message = (e as { message?: string }).message ?? '';
  if (name === 'NotAuthorizedException' && /attempts exceeded/i.test(message)) return { ok: false, error: 'too_many_attempts' };
  if (name === 'NotAuthorizedException' || name === 'UserNotFoundException') return { ok: false, error: 'wrong_password' };
  if (name === 'TooManyRequestsException') return { ok: false, error: 'rate_limited' };
  return undefined;
}

async function dropTokens(rt: HostedRuntime, client: UserPoolClientType, refreshToken: string | undefined): Promise<void> {
  if (!refreshToken || !client.ClientId) return;
  await rt.cognito
    .send(new RevokeTokenCommand({ Token: refreshToken, ClientId: client.ClientId, ClientSecret: client.ClientSecret }))
    .catch(() => undefined);
}

export async function checkPassword(rt: HostedRuntime, client: UserPoolClientType & { ClientId: string; UserPoolId: string }, username: string, password: string): Promise<PasswordCheck> {
  if (!password || password.length > 256) return { ok: false, error: password ? 'wrong_password' : 'required' };
  const flow = passwordFlowOf(client);
  if (!flow) return { ok: false, error: 'sign_in_unavailable' };
  try {
    const { answer, passwordChecked } = await passwordAuth(rt, client, { poolId: client.UserPoolId, flow, username, password });
    await dropTokens(rt, client, answer.AuthenticationResult?.RefreshToken);
    if (!passwordChecked) return { ok: false, error: 'unexpected' };
    return answer.AuthenticationResult?.AccessToken || answer.ChallengeName ? { ok: true } : { ok: false, error: 'unexpected' };
  } catch (e) {
    const r = refused(e);
    if (r) return r;
    throw e;
  }
}
