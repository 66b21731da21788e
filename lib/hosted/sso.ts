import { logger } from '../observability/logger';
import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from './runtime';
import { BASE_URL_METADATA } from '../domains/site';
import { destroySsoSession, updateSsoSession, type SsoSession } from './sso-session';
import { ssoAssertionFor } from './sso-assertion';
import { secretHash } from '../pool-client/secret-hash';
import { SSO_AUTH_TIME_METADATA } from '../triggers/sso-claims';
import type { AuthorizeRequest } from '../oauth/types';

/**
 * Single sign-on across the app clients of a pool (issue 3, decision 2). A live hosted session lets
 * /oauth2/authorize answer another client without the password: the hosted front asks the pool for that
 * client's tokens through CUSTOM_AUTH and answers the CUSTOM_CHALLENGE with an SSO assertion, so the
 * tokens still come from the pool through its one door, carry the session's auth_time, and on Amazon
 * Cognito the same works with Portico's three triggers deployed.
 */

/**
 * Whether `session` may answer `request` without asking for the password: same pool, not expired,
 * `prompt=login` not asked, and `max_age` (seconds since the interactive sign-in) not exceeded.
 * `now` is epoch milliseconds.
 */
export function sessionUsable(session: SsoSession, request: AuthorizeRequest, now: number): boolean {
  if (session.data.poolId !== request.poolId) return false;
  if (session.expiresAt <= now) return false;
  if (request.prompt === 'login') return false;
  if (request.maxAge !== undefined && session.data.authTime + request.maxAge < Math.floor(now / 1000)) return false;
  return true;
}

export interface SilentSignIn {
  result: AuthenticationResultType;
  /** For the authorization code: the session's user and its interactive sign-in time. */
  claims: { sub: string; authTime: number };
}

/** The pool said the user cannot sign in (deleted, disabled, or the proof refused): the session is over. */
const SESSION_ENDING_ERRORS = new Set(['NotAuthorizedException', 'UserNotFoundException', 'UserNotConfirmedException', 'PasswordResetRequiredException']);

function log(msg: string, fields: Record<string, unknown>): void {
  // Ids and error names only: never the assertion, Session values or tokens.
  logger().warn(fields, msg);
}

function withSecretHash(client: UserPoolClientType, username: string, params: Record<string, string>): Record<string, string> {
  if (client.ClientSecret && client.ClientId) params['SECRET_HASH'] = secretHash(client.ClientSecret, username, client.ClientId);
  return params;
}

/**
 * Tokens for `request.clientId` on the strength of `session` (check sessionUsable first), or undefined
 * when the pool would not give them silently — the caller then shows the sign-in form, or answers
 * `login_required` for `prompt=none`. Two pool calls: InitiateAuth CUSTOM_AUTH, RespondToAuthChallenge.
 */
export async function silentSignIn(rt: HostedRuntime, request: AuthorizeRequest, session: SsoSession): Promise<SilentSignIn | undefined> {
  const client = await rt.directory.appClient(request.clientId);
  if (!client || client.UserPoolId !== session.data.poolId) return undefined;
  const metadata: Record<string, string> = {
    'portico:scope': request.scopes.join(' '),
    [SSO_AUTH_TIME_METADATA]: String(session.data.authTime),
  };
  if (request.nonce !== undefined) metadata['nonce'] = request.nonce;
  if (request.baseUrl !== undefined) metadata[BASE_URL_METADATA] = request.baseUrl;
  const username = session.data.username;

  let result: AuthenticationResultType | undefined;
  try {
    const started = await rt.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'CUSTOM_AUTH',
        ClientId: request.clientId,
        AuthParameters: withSecretHash(client, username, { USERNAME: username }),
        ClientMetadata: metadata,
      }),
    );
    if (started.ChallengeName !== 'CUSTOM_CHALLENGE' || !started.Session) {
      log('sso: the pool did not offer the SSO challenge', { clientId: request.clientId, challenge: started.ChallengeName ?? null });
      return undefined;
    }
    // The pool may name the user differently (alias → username); SECRET_HASH follows the name sent.
    const poolUsername = started.ChallengeParameters?.['USERNAME'] ?? username;
    const answered = await rt.cognito.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: 'CUSTOM_CHALLENGE',
        ClientId: request.clientId,
        Session: started.Session,
        ChallengeResponses: withSecretHash(client, poolUsername, {
          USERNAME: poolUsername,
          ANSWER: await ssoAssertionFor(rt, request.clientId, session),
        }),
        ClientMetadata: metadata,
      }),
    );
    result = answered.AuthenticationResult;
    if (!result?.AccessToken) {
      // Another challenge (e.g. MFA the pool insists on): the person has to be there.
      log('sso: the pool asked for more than the SSO proof', { clientId: request.clientId, challenge: answered.ChallengeName ?? null });
      return undefined;
    }
  } catch (e) {
    const name = (e as { name?: string }).name ?? 'Error';
    log('sso: silent sign-in refused', { clientId: request.clientId, error: name });
    if (SESSION_ENDING_ERRORS.has(name)) await destroySsoSession(rt, session.id);
    return undefined;
  }

  if (!session.data.clients.includes(request.clientId)) {
    session.data.clients.push(request.clientId);
    await updateSsoSession(rt, session);
  }
  return { result, claims: { sub: session.data.sub, authTime: session.data.authTime } };
}
