import { InitiateAuthCommand, RespondToAuthChallengeCommand, RevokeTokenCommand, type UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../runtime';
import { secretHashParams } from '../dialogue';
import { passwordFlowOf } from '../signin';
import { passwordClaimAsync, startSrpAsync, type PasswordVerifierParams } from '../../pool-client/srp-client';
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
    if (flow === 'password') {
      const out = await rt.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: client.ClientId,
          AuthParameters: { USERNAME: username, PASSWORD: password, ...secretHashParams(client, username) },
        }),
      );
      await dropTokens(rt, client, out.AuthenticationResult?.RefreshToken);
      return { ok: true };
    }
    const srp = await startSrpAsync();
    const init = await rt.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: client.ClientId,
        AuthParameters: { USERNAME: username, SRP_A: srp.srpA, ...secretHashParams(client, username) },
      }),
    );
    if (init.ChallengeName !== 'PASSWORD_VERIFIER') return { ok: false, error: 'unexpected' };
    const claim = await passwordClaimAsync(srp, client.UserPoolId, init.ChallengeParameters as unknown as PasswordVerifierParams, password, new Date(rt.clock.now()));
    const out = await rt.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: client.ClientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: init.Session,
        ChallengeResponses: { ...claim, ...secretHashParams(client, claim.USERNAME) },
      }),
    );
    await dropTokens(rt, client, out.AuthenticationResult?.RefreshToken);
    return out.AuthenticationResult?.AccessToken || out.ChallengeName ? { ok: true } : { ok: false, error: 'unexpected' };
  } catch (e) {
    const r = refused(e);
    if (r) return r;
    throw e;
  }
}
