import type {
  AdminSetUserMFAPreferenceRequest,
  AdminSetUserMFAPreferenceResponse,
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse,
  SetUserMFAPreferenceRequest,
  SetUserMFAPreferenceResponse,
  SMSMfaSettingsType,
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type EngineDeps, type Handler, type OpContext } from '../context';
import { errors, messages } from '../errors';
import { findPool, requirePool, type PoolRecord } from '../pools';
import { findClient } from '../clients';
import { findUserByUsername, requireUser, saveUser, type UserRecord } from '../users';
import { verifyAccessToken } from '../tokens';
import { reinstateSession, takeSession, type TakenSession } from '../sessions';
import { MAX_WRONG_CODES, openChallenge, type AuthState, type Flow } from '../auth-flow';
import { emailAllowed, smsAllowed, totpAllowed, type MfaFactor } from '../mfa-factors';
import { matchStep, newTotpSecret, openPendingSecret, sealPendingSecret, sealTotpSecret } from '../totp';

/**
 * TOTP enrolment and MFA preferences. AssociateSoftwareToken and VerifySoftwareToken take either an
 * access token (a signed-in user adds an authenticator) or the Session of an MFA_SETUP challenge (a
 * user who must set up MFA before getting tokens); with a Session each returns the next Session.
 */
const totpNotEnabled = () => errors.softwareTokenMfaNotFound('Software Token MFA has not been enabled by the userPool');
const codeMismatch = () => errors.enableSoftwareTokenMfa('Code mismatch');

interface SetupSession {
  taken: TakenSession;
  state: AuthState;
  flow: Flow;
  user: UserRecord;
}

/** Opens an MFA_SETUP session for AssociateSoftwareToken / VerifySoftwareToken (they carry no ClientId). */
async function openSetupSession(ctx: OpContext, session: string, expect: AuthState['totpSetup'] | 'none'): Promise<SetupSession> {
  const { deps } = ctx;
  const taken = await takeSession(deps, session);
  const state = taken.state as unknown as AuthState;
  const stage = state.totpSetup ?? 'none';
  const pool = await findPool(deps, taken.poolId);
  const client = await findClient(deps, taken.clientId);
  const allowedStage = expect === 'none' ? stage === 'none' || stage === 'associated' : stage === expect;
  if (state.challenge !== 'MFA_SETUP' || !allowedStage || !pool || !client) throw errors.notAuthorized(messages.invalidSession);
  if (!totpAllowed(pool) || !(state.options ?? []).includes('SOFTWARE_TOKEN_MFA')) {
    await reinstateSession(deps, session, taken);
    throw totpNotEnabled();
  }
  const user = await findUserByUsername(deps, pool, state.username);
  if (!user) throw errors.notAuthorized(messages.invalidSession);
  if (!user.enabled) throw errors.notAuthorized(messages.userDisabled);
  return { taken, state, flow: { ctx, pool, client }, user };
}

function oneOf(input: { AccessToken?: string; Session?: string }): 'token' | 'session' {
  if (input.AccessToken && !input.Session) return 'token';
  if (input.Session && !input.AccessToken) return 'session';
  throw errors.invalidParameter('Exactly one of AccessToken and Session is required.');
}

const associateSoftwareToken = op<AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const secret = newTotpSecret();
  if (oneOf(input) === 'token') {
    const { pool, user } = await verifyAccessToken(deps, input.AccessToken!);
    if (!totpAllowed(pool)) throw totpNotEnabled();
    // Re-associating replaces any pending seed; the active one stays until a new one is verified.
    user.totpPendingEnc = sealPendingSecret(deps, secret);
    await saveUser(deps, pool, user);
    return { SecretCode: secret };
  }
  const s = await openSetupSession(ctx, input.Session!, 'none');
  s.user.totpPendingEnc = sealPendingSecret(deps, secret);
  await saveUser(deps, s.flow.pool, s.user);
  const next = await openChallenge(s.flow, { ...s.state, totpSetup: 'associated', wrong: 0 }, {});
  return { SecretCode: secret, Session: next.Session };
});

/** Moves a verified pending seed to the active one; the code that proved it is spent. */
function activate(deps: EngineDeps, user: UserRecord, secret: string, step: number, friendlyName: string | undefined): void {
  user.totpSecretEnc = sealTotpSecret(deps, secret);
  user.totpPendingEnc = null;
  user.totpLastStep = step;
  user.mfa = { ...user.mfa, ...(friendlyName ? { totpFriendlyName: friendlyName } : {}) };
}

const verifySoftwareToken = op<VerifySoftwareTokenRequest, VerifySoftwareTokenResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const code = input.UserCode ?? '';
  if (oneOf(input) === 'token') {
    const { pool, user } = await verifyAccessToken(deps, input.AccessToken!);
    if (!totpAllowed(pool)) throw totpNotEnabled();
    if (!user.totpPendingEnc) throw errors.invalidParameter('User has not associated a software token.');
    const secret = openPendingSecret(deps, user.totpPendingEnc);
    const step = matchStep(secret, code, deps.clock.now(), null);
    if (step === undefined) throw codeMismatch();
    activate(deps, user, secret, step, input.FriendlyDeviceName);
    await saveUser(deps, pool, user);
    return { Status: 'SUCCESS' };
  }
  const s = await openSetupSession(ctx, input.Session!, 'associated');
  const secret = s.user.totpPendingEnc ? openPendingSecret(deps, s.user.totpPendingEnc) : undefined;
  const step = secret ? matchStep(secret, code, deps.clock.now(), null) : undefined;
  if (secret === undefined || step === undefined) {
    const wrong = (s.state.wrong ?? 0) + 1;
    if (wrong < MAX_WRONG_CODES) {
      await reinstateSession(deps, input.Session!, { ...s.taken, state: { ...s.state, wrong } as unknown as TakenSession['state'] });
    }
    throw codeMismatch();
  }
  activate(deps, s.user, secret, step, input.FriendlyDeviceName);
  // Enrolled inside sign-in: TOTP is the user's MFA from now on.
  s.user.mfa = { ...s.user.mfa, totp: true, preferred: s.user.mfa.preferred ?? 'SOFTWARE_TOKEN_MFA' };
  await saveUser(deps, s.flow.pool, s.user);
  const next = await openChallenge(s.flow, { ...s.state, totpSetup: 'verified', wrong: 0 }, {});
  return { Status: 'SUCCESS', Session: next.Session };
});

interface Preferences {
  SMSMfaSettings?: SMSMfaSettingsType;
  SoftwareTokenMfaSettings?: SMSMfaSettingsType;
  EmailMfaSettings?: SMSMfaSettingsType;
}

/** Applies SetUserMFAPreference settings to the record (the caller saves). */
export function applyMfaPreferences(pool: PoolRecord, user: UserRecord, prefs: Preferences): void {
  const entries: Array<[MfaFactor, 'sms' | 'totp' | 'email', SMSMfaSettingsType | undefined]> = [
    ['SMS_MFA', 'sms', prefs.SMSMfaSettings],
    ['SOFTWARE_TOKEN_MFA', 'totp', prefs.SoftwareTokenMfaSettings],
    ['EMAIL_OTP', 'email', prefs.EmailMfaSettings],
  ];
  const preferred = entries.filter(([, , s]) => s?.PreferredMfa === true);
  if (preferred.length > 1) throw errors.invalidParameter('Only one MFA method can be preferred.');
  const mfa = { ...user.mfa };
  for (const [factor, key, s] of entries) {
    if (!s) continue;
    if (s.Enabled === true) {
      if (factor === 'SOFTWARE_TOKEN_MFA' && !user.totpSecretEnc) throw errors.invalidParameter('User has not verified software token mfa');
      if (factor === 'SOFTWARE_TOKEN_MFA' && !totpAllowed(pool)) throw totpNotEnabled();
      if (factor === 'SMS_MFA' && (!user.attributes['phone_number'] || !smsAllowed(pool))) {
        throw errors.invalidParameter('User does not have delivery config set to turn on SMS_MFA');
      }
      if (factor === 'EMAIL_OTP' && (!user.attributes['email'] || !emailAllowed(pool))) {
        throw errors.invalidParameter('User does not have delivery config set to turn on EMAIL_OTP');
      }
    }
    if (s.Enabled !== undefined) mfa[key] = s.Enabled;
    if (s.PreferredMfa === true) {
      if (!mfa[key]) throw errors.invalidParameter(`${factor} must be enabled to be the preferred MFA method.`);
      mfa.preferred = factor;
    }
    if ((s.PreferredMfa === false || s.Enabled === false) && mfa.preferred === factor) delete mfa.preferred;
  }
  user.mfa = mfa;
}

const setUserMfaPreference = op<SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse>(async (input, { deps }) => {
  const { pool, user } = await verifyAccessToken(deps, input.AccessToken ?? '');
  applyMfaPreferences(pool, user, input);
  await saveUser(deps, pool, user);
  return {};
});

const adminSetUserMfaPreference = op<AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId ?? '');
  const user = await requireUser(deps, pool, input.Username ?? '');
  applyMfaPreferences(pool, user, input);
  await saveUser(deps, pool, user);
  return {};
});

export const mfaHandlers: Record<string, Handler> = {
  AssociateSoftwareToken: associateSoftwareToken,
  VerifySoftwareToken: verifySoftwareToken,
  SetUserMFAPreference: setUserMfaPreference,
  AdminSetUserMFAPreference: adminSetUserMfaPreference,
};
