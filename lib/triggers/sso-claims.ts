import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/**
 * The SSO assertion shared by Portico's hosted front (which signs it) and the pool's Verify Auth
 * Challenge trigger (./sso.ts, which checks it): a short-lived HS256 JWT proving that the browser holds
 * a live hosted session for this user, answered to a CUSTOM_CHALLENGE so the pool issues tokens for
 * another app client without the password (issue 3, decision 2).
 */
export const SSO_ISSUER = 'portico';
export const SSO_ALGORITHM = 'HS256';
/** challengeMetadata of the built-in Create trigger's challenge. */
export const SSO_CHALLENGE_METADATA = 'PORTICO_SSO';
/** ClientMetadata key: the hosted session's auth_time (seconds); the assertion must carry the same. */
export const SSO_AUTH_TIME_METADATA = 'portico:auth_time';
/** Trigger environment variable: the HMAC key, base64url. */
export const SSO_KEY_ENV = 'PORTICO_SSO_KEY';
/** How long a signed assertion lives, and the most the Verify trigger accepts (iat → exp). */
export const SSO_ASSERTION_SECONDS = 60;
export const SSO_MAX_LIFETIME_SECONDS = 120;

export interface SsoAssertionClaims {
  iss: typeof SSO_ISSUER;
  /** The app client the tokens are for. */
  aud: string;
  /** The user's `sub`. */
  sub: string;
  /** The pool's username of the user. */
  'cognito:username': string;
  /** The hosted session's interactive sign-in time, epoch seconds. */
  auth_time: number;
  jti: string;
  iat: number;
  exp: number;
}

export interface SsoAssertionInput {
  clientId: string;
  sub: string;
  username: string;
  /** Epoch seconds of the interactive sign-in behind the hosted session. */
  authTime: number;
  /** Epoch milliseconds (the caller's clock, e.g. rt.clock.now()). */
  now: number;
}

/** Signs an assertion with the SSO key (rt.ssoKey on the hosted front). */
export async function signSsoAssertion(key: Uint8Array, input: SsoAssertionInput): Promise<string> {
  const iat = Math.floor(input.now / 1000);
  const claims: SsoAssertionClaims = {
    iss: SSO_ISSUER,
    aud: input.clientId,
    sub: input.sub,
    'cognito:username': input.username,
    auth_time: input.authTime,
    jti: randomUUID(),
    iat,
    exp: iat + SSO_ASSERTION_SECONDS,
  };
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: SSO_ALGORITHM, typ: 'JWT' }).sign(key);
}

/** The key as the trigger's environment carries it; undefined when it is missing or too short. */
export function ssoKeyFromEnv(env: Record<string, string | undefined>): Uint8Array | undefined {
  const raw = env[SSO_KEY_ENV];
  if (!raw) return undefined;
  const key = Buffer.from(raw, 'base64url');
  return key.length >= 32 ? new Uint8Array(key) : undefined;
}
