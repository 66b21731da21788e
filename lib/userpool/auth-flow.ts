import type { AuthenticationResultType, ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import { nowSeconds, type OpContext } from './context';
import { errors, messages } from './errors';
import type { PoolRecord } from './pools';
import type { ClientRecord } from './clients';
import { keyFor, type UserRecord } from './users';
import { createSession } from './sessions';
import { issueTokens } from './tokens';
import { issueCode } from './codes';
import { deliverCode } from './delivery';
import { localeFromMetadata } from './message-templates';
import { nextMfaStep, type MfaFactor } from './mfa-factors';
import type { SrpSessionState } from './srp';
import { requiredAttributes } from './attributes';
import { grantedScopes, SCOPE_METADATA } from './oauth-scopes';
import { BASE_URL_METADATA } from '../domains/site';
import type { CustomAuthState } from './custom-auth';
import { scopesShapedByTrigger } from './pre-token';

/**
 * The shared steps of a sign-in: what follows a correct password (user state, new password, MFA) and
 * how a step is answered — a challenge with a new single-use Session, or tokens.
 */
export interface Flow {
  ctx: OpContext;
  pool: PoolRecord;
  client: ClientRecord;
  clientMetadata?: Record<string, string>;
}

/** Kept (sealed) in the auth session between steps. */
export interface AuthState {
  challenge: ChallengeNameType;
  /** The pool's internal username. */
  username: string;
  /** What the caller typed at InitiateAuth (accepted as USERNAME / for SECRET_HASH later). */
  typed: string;
  /** The lockout counter this sign-in charges. */
  lockKey: string;
  /** ClientMetadata.nonce from InitiateAuth, for the ID token. */
  nonce?: string;
  /** ClientMetadata['portico:scope'] from InitiateAuth: OAuth-shaped tokens (./oauth-scopes). */
  scope?: string;
  /** ClientMetadata['portico:base-url']: the custom domain the sign-in ran on (its issuer, if registered). */
  baseUrl?: string;
  /**
   * The sign-in time the tokens carry (seconds) when it is not now: only set after Portico's built-in
   * SSO Verify trigger accepted an assertion of an earlier interactive sign-in (./custom-auth).
   */
  authTime?: number;
  /** Wrong answers so far to this challenge (MFA codes). */
  wrong?: number;
  srp?: SrpSessionState;
  /** A simulated user (PreventUserExistenceErrors): the step can only fail. */
  simulated?: boolean;
  /** SELECT_MFA_TYPE / MFA_SETUP: the factors offered. */
  options?: MfaFactor[];
  /** MFA_SETUP: how far TOTP enrolment got through AssociateSoftwareToken / VerifySoftwareToken. */
  totpSetup?: 'associated' | 'verified';
  /** MFA_SETUP by email: the address being set up (EMAIL_OTP then confirms it). */
  setupEmail?: string;
  /** CUSTOM_AUTH: the rounds so far (CUSTOM_CHALLENGE, or PASSWORD_VERIFIER inside a custom sign-in). */
  custom?: CustomAuthState;
}

export interface AuthStep {
  ChallengeName?: ChallengeNameType;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: AuthenticationResultType;
}

export const MAX_WRONG_CODES = 5;

/** The lockout key: the user's normalised username, or the normalised typed name when there is no user. */
export function lockKeyFor(pool: PoolRecord, user: UserRecord | undefined, typed: string): string {
  return user ? user.usernameKey : keyFor(pool, typed);
}

export function sessionMinutes(client: ClientRecord): number {
  return client.config.AuthSessionValidity ?? 3;
}

export async function openChallenge(flow: Flow, state: AuthState, parameters: Record<string, string>): Promise<AuthStep> {
  const session = await createSession(
    flow.ctx.deps,
    flow.pool.id,
    flow.client.clientId,
    state as unknown as AuthState & { [key: string]: unknown },
    sessionMinutes(flow.client),
  );
  return { ChallengeName: state.challenge, Session: session, ChallengeParameters: parameters };
}

/** What a sign-in carries from its first call to its tokens. */
export type Carried = Pick<AuthState, 'nonce' | 'scope' | 'authTime' | 'baseUrl'>;

export function carriedFrom(s: Carried): Carried {
  return {
    ...(s.nonce ? { nonce: s.nonce } : {}),
    ...(s.scope !== undefined ? { scope: s.scope } : {}),
    ...(s.baseUrl ? { baseUrl: s.baseUrl } : {}),
    ...(s.authTime !== undefined ? { authTime: s.authTime } : {}),
  };
}

/** The call's own ClientMetadata (nonce, portico:scope); never auth_time, which only a verified SSO sets. */
export function carriedOf(flow: Flow): Carried {
  const md = flow.clientMetadata;
  return carriedFrom({ nonce: md?.['nonce'], scope: md?.[SCOPE_METADATA], baseUrl: md?.[BASE_URL_METADATA] });
}

/** Tokens; a value in this call's ClientMetadata wins over the one carried from InitiateAuth. */
export async function tokensFor(flow: Flow, user: UserRecord, carried: Carried): Promise<AuthStep> {
  const current = carriedOf(flow);
  const scopes = scopesShapedByTrigger(flow.ctx.deps, flow.pool) ? undefined : grantedScopes(flow.client, current.scope ?? carried.scope);
  // Cognito gives the Pre Token Generation trigger the ClientMetadata of RespondToAuthChallenge only.
  const responding = flow.ctx.operation.endsWith('RespondToAuthChallenge');
  const afterNewPassword = 'challenge' in carried && carried.challenge === 'NEW_PASSWORD_REQUIRED';
  const result = await issueTokens(flow.ctx.deps, {
    pool: flow.pool,
    client: flow.client,
    user,
    authTime: carried.authTime ?? nowSeconds(flow.ctx.deps),
    withRefreshToken: true,
    nonce: current.nonce ?? carried.nonce,
    ...(scopes ? { scopes } : {}),
    baseUrl: current.baseUrl ?? carried.baseUrl,
    tokenGeneration: {
      source: afterNewPassword ? 'TokenGeneration_NewPasswordChallenge' : 'TokenGeneration_Authentication',
      ...(responding && flow.clientMetadata ? { clientMetadata: flow.clientMetadata } : {}),
    },
  });
  return { ChallengeParameters: {}, AuthenticationResult: result };
}

type Base = Pick<AuthState, 'username' | 'typed' | 'lockKey'> & Carried;

export function baseState(user: UserRecord, typed: string, lockKey: string, carried: Carried): Base {
  return { username: user.username, typed, lockKey, ...carriedFrom(carried) };
}

/** The user's attributes as NEW_PASSWORD_REQUIRED lists them (sub is not shown). */
function visibleAttributes(user: UserRecord): Record<string, string> {
  const { sub: _sub, ...rest } = user.attributes;
  return rest;
}

export function missingRequiredAttributes(flow: Flow, user: UserRecord): string[] {
  return requiredAttributes(flow.pool).filter((name) => !user.attributes[name]).map((name) => `userAttributes.${name}`);
}

/**
 * After the password was proven: the user's state decides (disabled, unconfirmed, temporary password),
 * then MFA, then tokens.
 */
export async function afterPassword(flow: Flow, user: UserRecord, base: Base): Promise<AuthStep> {
  if (!user.enabled) throw errors.notAuthorized(messages.userDisabled);
  if (user.status === 'UNCONFIRMED') throw errors.userNotConfirmed(messages.userNotConfirmed);
  if (user.status === 'RESET_REQUIRED') throw errors.passwordResetRequired(messages.passwordResetRequired);
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if (user.tempPasswordExpiresAt !== null && user.tempPasswordExpiresAt <= flow.ctx.deps.clock.now()) {
      throw errors.notAuthorized(messages.tempPasswordExpired);
    }
    return openChallenge(flow, { ...base, challenge: 'NEW_PASSWORD_REQUIRED' }, {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missingRequiredAttributes(flow, user)),
      userAttributes: JSON.stringify(visibleAttributes(user)),
    });
  }
  return startMfa(flow, user, base);
}

/** MFA after the first factor (reference §3.4 "MFA order"). */
export async function startMfa(flow: Flow, user: UserRecord, base: Base): Promise<AuthStep> {
  const step = nextMfaStep(flow.pool, user);
  switch (step.kind) {
    case 'none':
      return tokensFor(flow, user, base);
    case 'challenge':
      return mfaChallenge(flow, user, base, step.factor);
    case 'select':
      return openChallenge(flow, { ...base, challenge: 'SELECT_MFA_TYPE', options: step.factors }, {
        MFAS_CAN_CHOOSE: JSON.stringify(step.factors),
      });
    case 'setup':
      if (step.factors.length === 0) {
        throw errors.invalidUserPoolConfiguration('MFA is required for this user pool, but no MFA method is enabled.');
      }
      return openChallenge(flow, { ...base, challenge: 'MFA_SETUP', options: step.factors }, {
        MFAS_CAN_SETUP: JSON.stringify(step.factors),
      });
  }
}

/** Sends (SMS/email) or asks for (TOTP) a second-factor code. */
export async function mfaChallenge(flow: Flow, user: UserRecord, base: Base, factor: MfaFactor, emailOverride?: string): Promise<AuthStep> {
  const deps = flow.ctx.deps;
  if (factor === 'SOFTWARE_TOKEN_MFA') {
    return openChallenge(flow, { ...base, challenge: factor, wrong: 0 }, {
      FRIENDLY_DEVICE_NAME: user.mfa.totpFriendlyName ?? 'TOTP device',
    });
  }
  const code = await issueCode(deps, flow.pool.id, user.usernameKey, 'mfa', sessionMinutes(flow.client) * 60_000);
  const delivery = await deliverCode(deps, {
    pool: flow.pool,
    user,
    kind: 'mfa',
    code,
    attribute: factor === 'SMS_MFA' ? 'phone_number' : 'email',
    ...(emailOverride ? { destination: emailOverride } : {}),
    // Sign-in codes count against the caps too (SMS pumping); AdminInitiateAuth's are the admin's own.
    ...(flow.ctx.admin ? {} : { sourceIp: flow.ctx.sourceIp }),
    clientId: flow.client.clientId,
    locale: localeFromMetadata(flow.clientMetadata),
  });
  return openChallenge(flow, { ...base, challenge: factor, wrong: 0, ...(emailOverride ? { setupEmail: emailOverride } : {}) }, {
    CODE_DELIVERY_DELIVERY_MEDIUM: delivery.DeliveryMedium ?? (factor === 'SMS_MFA' ? 'SMS' : 'EMAIL'),
    CODE_DELIVERY_DESTINATION: delivery.Destination ?? '',
  });
}
