import { jwtVerify } from 'jose';
import type {
  CreateAuthChallengeEvent,
  CustomAuthTriggers,
  DefineAuthChallengeEvent,
  TriggerHandler,
  VerifyAuthChallengeResponseEvent,
} from './events';
import {
  SSO_ALGORITHM,
  SSO_ASSERTION_SECONDS,
  SSO_AUTH_TIME_METADATA,
  SSO_CHALLENGE_METADATA,
  SSO_ISSUER,
  SSO_MAX_LIFETIME_SECONDS,
  ssoKeyFromEnv,
} from './sso-claims';

/**
 * Portico's single-sign-on triggers: Define, Create and Verify Auth Challenge as Lambda handlers. One
 * CUSTOM_CHALLENGE whose answer is an SSO assertion (./sso-claims.ts) signed by Portico's hosted front;
 * one correct answer issues tokens, anything else fails the sign-in. The embedded pool runs them by
 * default; on Amazon Cognito they deploy as three Lambda functions (docs/triggers.md).
 */
export interface SsoTriggerOptions {
  /** The Lambda's environment: PORTICO_SSO_KEY (base64url). */
  env: Record<string, string | undefined>;
  /** Epoch milliseconds; the embedded pool passes its own clock. */
  now?: () => number;
}

export interface ExpectedAssertion {
  clientId: string;
  sub: string | undefined;
  username: string;
  /** clientMetadata['portico:auth_time'] of the call, as given. */
  authTime: string | undefined;
  /** Epoch milliseconds. */
  now: number;
}

const INTEGER = /^(0|[1-9][0-9]{0,11})$/;
/** The front and a Lambda run on different clocks: an assertion may look this much younger than it is. */
const CLOCK_SKEW_SECONDS = 5;

/** True only for an assertion of exactly this user, for this client, fresh, with the expected auth_time. */
export async function checkSsoAssertion(key: Uint8Array, token: string, expected: ExpectedAssertion): Promise<boolean> {
  if (!expected.sub || expected.authTime === undefined || !INTEGER.test(expected.authTime)) return false;
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [SSO_ALGORITHM],
      issuer: SSO_ISSUER,
      audience: expected.clientId,
      currentDate: new Date(expected.now),
      clockTolerance: 0,
      requiredClaims: ['sub', 'iat', 'exp', 'jti', 'auth_time'],
    }));
  } catch {
    return false;
  }
  const now = Math.floor(expected.now / 1000);
  const { exp, iat, auth_time: authTime } = payload as { exp: unknown; iat: unknown; auth_time: unknown };
  if (typeof exp !== 'number' || typeof iat !== 'number' || typeof authTime !== 'number') return false;
  if (exp - now > SSO_ASSERTION_SECONDS + CLOCK_SKEW_SECONDS || exp - iat > SSO_MAX_LIFETIME_SECONDS || iat > exp) return false;
  if (authTime !== Number(expected.authTime)) return false;
  if (Array.isArray(payload['aud']) && payload['aud'].length !== 1) return false;
  return payload['sub'] === expected.sub && payload['cognito:username'] === expected.username;
}

export function ssoTriggers(options: SsoTriggerOptions): CustomAuthTriggers {
  const now = options.now ?? (() => Date.now());

  const define: TriggerHandler<DefineAuthChallengeEvent> = async (event) => {
    const session = event.request.session ?? [];
    const last = session[session.length - 1];
    if (session.length === 0) {
      event.response = { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false };
    } else if (
      session.length === 1 &&
      last?.challengeName === 'CUSTOM_CHALLENGE' &&
      last.challengeMetadata === SSO_CHALLENGE_METADATA &&
      last.challengeResult === true
    ) {
      event.response = { issueTokens: true, failAuthentication: false };
    } else {
      // A wrong answer, a password round (SRP_A) or anything else: SSO does not do those.
      event.response = { issueTokens: false, failAuthentication: true };
    }
    return event;
  };

  const create: TriggerHandler<CreateAuthChallengeEvent> = async (event) => {
    event.response = { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: SSO_CHALLENGE_METADATA };
    return event;
  };

  const verify: TriggerHandler<VerifyAuthChallengeResponseEvent> = async (event) => {
    const key = ssoKeyFromEnv(options.env);
    if (!key) throw new Error('PORTICO_SSO_KEY is not set');
    const { request } = event;
    const answerCorrect =
      request.userNotFound !== true &&
      typeof request.challengeAnswer === 'string' &&
      (await checkSsoAssertion(key, request.challengeAnswer, {
        clientId: event.callerContext.clientId,
        sub: request.userAttributes['sub'],
        username: event.userName,
        authTime: request.clientMetadata?.[SSO_AUTH_TIME_METADATA],
        now: now(),
      }));
    event.response = { answerCorrect };
    return event;
  };

  return { define, create, verify };
}

// The three Lambda entry points (handler names `sso.defineAuthChallenge` etc. after bundling).
export const defineAuthChallenge: TriggerHandler<DefineAuthChallengeEvent> = (event) => ssoTriggers({ env: process.env }).define(event);
export const createAuthChallenge: TriggerHandler<CreateAuthChallengeEvent> = (event) => ssoTriggers({ env: process.env }).create(event);
export const verifyAuthChallengeResponse: TriggerHandler<VerifyAuthChallengeResponseEvent> = (event) =>
  ssoTriggers({ env: process.env }).verify(event);
