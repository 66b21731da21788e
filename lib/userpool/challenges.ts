import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { errors, messages } from './errors';
import { findUserByUsername, findUserForSignIn, keyFor, saveUser, type UserRecord } from './users';
import { checkSecretHash } from './secret-hash';
import { assertPolicy, passwordMatchesAsync, setPasswordAsync } from './passwords';
import { checkAttributeWrites } from './attributes';
import { assertNotLocked, clearFailures, recordFailure } from './lockout';
import { checkCode } from './codes';
import { reinstateSession, takeSession, type TakenSession } from './sessions';
import { verifyUserTotp } from './totp';
import { proveSrpPassword, srpVerify } from './sign-in';
import { answerCustomChallenge, customAuthAfterPassword } from './custom-auth';
import { carriedFrom, MAX_WRONG_CODES, mfaChallenge, startMfa, tokensFor, type AuthState, type AuthStep, type Flow } from './auth-flow';
import type { MfaFactor } from './mfa-factors';

/**
 * RespondToAuthChallenge / AdminRespondToAuthChallenge: each answer consumes its Session. Answers that
 * were not attempts at all (a malformed request, a locked name) and wrong MFA codes — up to
 * MAX_WRONG_CODES — leave the Session usable, as Cognito lets a person retype a code.
 */
const CODE_FIELD: Record<string, string> = {
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
};

const REQUIRED: Record<string, string[]> = {
  PASSWORD_VERIFIER: ['PASSWORD_CLAIM_SIGNATURE', 'PASSWORD_CLAIM_SECRET_BLOCK', 'TIMESTAMP'],
  NEW_PASSWORD_REQUIRED: ['NEW_PASSWORD'],
  SMS_MFA: ['SMS_MFA_CODE'],
  EMAIL_OTP: ['EMAIL_OTP_CODE'],
  SOFTWARE_TOKEN_MFA: ['SOFTWARE_TOKEN_MFA_CODE'],
  SELECT_MFA_TYPE: ['ANSWER'],
  MFA_SETUP: [],
  CUSTOM_CHALLENGE: ['ANSWER'],
};

const missing = (name: string) => errors.invalidParameter(`Missing required parameter ${name}`);

interface Answer {
  flow: Flow;
  session: string;
  taken: TakenSession;
  state: AuthState;
  responses: Record<string, string>;
  /** Whether the lockout store has failures for this name (a success then clears them). */
  failuresOnRecord: boolean;
}

/** Puts the session back (optionally with new state) and throws `error`. */
async function keepAndThrow(a: Answer, error: Error, state: AuthState = a.state): Promise<never> {
  await reinstateSession(a.flow.ctx.deps, a.session, { ...a.taken, state: state as unknown as TakenSession['state'] });
  throw error;
}

async function belongsToSession(flow: Flow, state: AuthState, username: string): Promise<boolean> {
  const k = keyFor(flow.pool, username);
  if (k === keyFor(flow.pool, state.username) || k === keyFor(flow.pool, state.typed)) return true;
  if (state.simulated) return false;
  const user = await findUserForSignIn(flow.ctx.deps, flow.pool, username);
  return user !== undefined && user.usernameKey === keyFor(flow.pool, state.username);
}

export async function respondToChallenge(
  flow: Flow,
  challengeName: string,
  responses: Record<string, string>,
  session: string | undefined,
): Promise<AuthStep> {
  const { deps } = flow.ctx;
  const username = responses['USERNAME'];
  if (!username) throw missing('USERNAME');
  const required = REQUIRED[challengeName];
  if (!required) throw errors.invalidParameter(`Challenge ${challengeName} is not supported.`);
  for (const name of required) if (!responses[name]) throw missing(name);
  if (!session) throw missing('Session');

  const taken = await takeSession(deps, session, flow.client.clientId);
  if (taken.poolId !== flow.pool.id) throw errors.notAuthorized(messages.invalidSession);
  const state = taken.state as unknown as AuthState;
  const a: Answer = { flow, session, taken, state, responses, failuresOnRecord: false };
  if (state.challenge !== challengeName) {
    return keepAndThrow(a, errors.invalidParameter(`Invalid challenge name: the session expects ${state.challenge}.`));
  }
  if (!(await belongsToSession(flow, state, username))) throw errors.notAuthorized(messages.invalidSession);
  try {
    checkSecretHash(flow.client, responses['SECRET_HASH'], [username, state.username, state.typed]);
    // The password lockout guards password and code attempts; a custom challenge is the triggers' to judge.
    if (state.challenge !== 'CUSTOM_CHALLENGE') a.failuresOnRecord = await assertNotLocked(deps, flow.pool.id, state.lockKey);
  } catch (e) {
    return keepAndThrow(a, e as Error);
  }

  switch (state.challenge) {
    case 'PASSWORD_VERIFIER': {
      const claim = {
        secretBlock: responses['PASSWORD_CLAIM_SECRET_BLOCK']!,
        timestamp: responses['TIMESTAMP']!,
        signature: responses['PASSWORD_CLAIM_SIGNATURE']!,
      };
      if (state.custom) return customAuthAfterPassword(flow, state, await proveSrpPassword(flow, state, claim, a.failuresOnRecord));
      return srpVerify(flow, state, claim, a.failuresOnRecord);
    }
    case 'CUSTOM_CHALLENGE':
      return answerCustomChallenge(flow, state, responses['ANSWER']!);
    case 'NEW_PASSWORD_REQUIRED':
      return newPassword(a);
    case 'SMS_MFA':
    case 'EMAIL_OTP':
    case 'SOFTWARE_TOKEN_MFA':
      return mfaCode(a);
    case 'SELECT_MFA_TYPE':
      return selectMfa(a);
    case 'MFA_SETUP':
      return mfaSetup(a);
    default:
      throw errors.notAuthorized(messages.invalidSession);
  }
}

/** The live user behind a session, or "Invalid session" when it went away or was disabled meanwhile. */
async function sessionUser(a: Answer): Promise<UserRecord> {
  const user = a.state.simulated ? undefined : await findUserByUsername(a.flow.ctx.deps, a.flow.pool, a.state.username);
  if (!user) throw errors.notAuthorized(messages.invalidSession);
  if (!user.enabled) throw errors.notAuthorized(messages.userDisabled);
  return user;
}

const base = (s: AuthState) => ({ username: s.username, typed: s.typed, lockKey: s.lockKey, ...carriedFrom(s) });

async function newPassword(a: Answer): Promise<AuthStep> {
  const { flow, state, responses } = a;
  const { deps } = flow.ctx;
  const user = await sessionUser(a);
  if (user.status !== 'FORCE_CHANGE_PASSWORD') throw errors.notAuthorized(messages.invalidSession);
  const password = responses['NEW_PASSWORD']!;
  const attributes: AttributeType[] = Object.entries(responses)
    .filter(([name]) => name.startsWith('userAttributes.'))
    .map(([name, value]) => ({ Name: name.slice('userAttributes.'.length), Value: value }));
  let written: Record<string, string>;
  try {
    assertPolicy(flow.pool, password, 'does not conform to');
    if (await passwordMatchesAsync(deps, flow.pool, user, password)) {
      throw errors.invalidPassword('Password does not conform to policy: New password must be different from the temporary password');
    }
    written = checkAttributeWrites(flow.pool, attributes, 'new-password', { client: flow.client, existing: user.attributes });
  } catch (e) {
    // Nothing changed: the person may correct the form and answer the same challenge again.
    return keepAndThrow(a, e as Error);
  }
  user.attributes = { ...user.attributes, ...written };
  await setPasswordAsync(deps, flow.pool, user, password);
  user.status = 'CONFIRMED';
  user.tempPasswordExpiresAt = null;
  await saveUser(deps, flow.pool, user);
  return startMfa(flow, user, base(state));
}

async function mfaCode(a: Answer): Promise<AuthStep> {
  const { flow, state, responses } = a;
  const { deps } = flow.ctx;
  const user = await sessionUser(a);
  const code = responses[CODE_FIELD[state.challenge]!]!;
  let ok: boolean;
  if (state.challenge === 'SOFTWARE_TOKEN_MFA') {
    ok = await verifyUserTotp(deps, user, code);
  } else {
    const check = await checkCode(deps, flow.pool.id, user.usernameKey, 'mfa', code);
    ok = check.result === 'ok';
  }
  if (!ok) {
    await recordFailure(deps, flow.pool.id, state.lockKey);
    const wrong = (state.wrong ?? 0) + 1;
    const error = errors.codeMismatch(messages.mfaCodeMismatch);
    if (wrong < MAX_WRONG_CODES) return keepAndThrow(a, error, { ...state, wrong });
    throw error;
  }
  if (a.failuresOnRecord) await clearFailures(deps, flow.pool.id, state.lockKey);
  let changed = false;
  if (state.challenge === 'SMS_MFA' && user.attributes['phone_number_verified'] !== 'true') {
    // A code that reached the phone proves it (Cognito marks the number verified too).
    user.attributes['phone_number_verified'] = 'true';
    changed = true;
  }
  if (state.challenge === 'EMAIL_OTP' && state.setupEmail) {
    user.attributes['email'] = state.setupEmail;
    user.attributes['email_verified'] = 'true';
    user.mfa = { ...user.mfa, email: true, preferred: user.mfa.preferred ?? 'EMAIL_OTP' };
    changed = true;
  }
  if (changed) await saveUser(deps, flow.pool, user);
  return tokensFor(flow, user, state);
}

async function selectMfa(a: Answer): Promise<AuthStep> {
  const { flow, state, responses } = a;
  const answer = responses['ANSWER'] as MfaFactor;
  if (!(state.options ?? []).includes(answer)) {
    return keepAndThrow(a, errors.invalidParameter(`Invalid ANSWER: expected one of ${JSON.stringify(state.options ?? [])}.`));
  }
  const user = await sessionUser(a);
  return mfaChallenge(flow, user, base(state), answer);
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

async function mfaSetup(a: Answer): Promise<AuthStep> {
  const { flow, state, responses } = a;
  const user = await sessionUser(a);
  if (state.totpSetup === 'verified' && user.mfa.totp && user.totpSecretEnc) {
    return tokensFor(flow, user, state);
  }
  const email = responses['EMAIL'];
  if (email && (state.options ?? []).includes('EMAIL_OTP')) {
    if (!EMAIL.test(email)) return keepAndThrow(a, errors.invalidParameter('Invalid email address format.'));
    return mfaChallenge(flow, user, base(state), 'EMAIL_OTP', email);
  }
  return keepAndThrow(a, errors.invalidParameter('MFA setup is not complete: verify a software token or give an EMAIL.'));
}
