import { errors, messages } from './errors';
import { findUserByUsername, findUserForSignIn, keyFor, type UserRecord } from './users';
import { checkSecretHash } from './secret-hash';
import { passwordMatchesAsync, verifierOf } from './passwords';
import { assertNotLocked, clearFailures, recordFailure } from './lockout';
import { checkPasswordClaim, InvalidSrpA, parseSrpA, simulatedIdentity, startPasswordVerifier } from './srp';
import { afterPassword, baseState, carriedFrom, carriedOf, lockKeyFor, openChallenge, type AuthState, type AuthStep, type Flow } from './auth-flow';
import type { ClientRecord } from './clients';
import { computeVerifierAsync, computeX } from '../crypto/srp-math';

/**
 * The first factor: USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH (the password is sent) and
 * USER_SRP_AUTH (the password is proven). Unknown names, wrong passwords and users that must not be
 * revealed all take the same path and charge the lockout counter of the name that was typed.
 */
function hidesUsers(client: ClientRecord): boolean {
  return client.config.PreventUserExistenceErrors === 'ENABLED';
}

function badCredentials() {
  return errors.notAuthorized(messages.badCredentials);
}

/** The work a real password check does (one modular exponentiation), for names without a user. */
async function burnPasswordCheck(flow: Flow, typed: string, password: string): Promise<void> {
  const { salt } = simulatedIdentity(flow.ctx.deps, flow.pool, keyFor(flow.pool, typed), typed);
  await computeVerifierAsync(computeX(salt, flow.pool.srpName, typed, password));
}

export async function passwordSignIn(flow: Flow, typed: string, password: string, secretHash: string | undefined): Promise<AuthStep> {
  const { deps } = flow.ctx;
  const user = await findUserForSignIn(deps, flow.pool, typed);
  checkSecretHash(flow.client, secretHash, [typed, user?.username]);
  const lockKey = lockKeyFor(flow.pool, user, typed);
  const failuresOnRecord = await assertNotLocked(deps, flow.pool.id, lockKey);
  const hide = hidesUsers(flow.client);
  if (!user || !user.srpSalt || (user.status === 'RESET_REQUIRED' && hide)) {
    await burnPasswordCheck(flow, typed, password);
    await recordFailure(deps, flow.pool.id, lockKey);
    if (!user && !hide) throw errors.userNotFound(messages.userDoesNotExist);
    throw badCredentials();
  }
  if (user.status === 'RESET_REQUIRED') throw errors.passwordResetRequired(messages.passwordResetRequired);
  if (!(await passwordMatchesAsync(deps, flow.pool, user, password))) {
    await recordFailure(deps, flow.pool.id, lockKey);
    throw badCredentials();
  }
  if (failuresOnRecord) await clearFailures(deps, flow.pool.id, lockKey);
  return afterPassword(flow, user, baseState(user, typed, lockKey, carriedOf(flow)));
}

export async function srpStart(flow: Flow, typed: string, srpA: string, secretHash: string | undefined): Promise<AuthStep> {
  const { deps } = flow.ctx;
  let A: bigint;
  try {
    A = parseSrpA(srpA);
  } catch (e) {
    if (e instanceof InvalidSrpA) throw errors.invalidParameter('Invalid SRP_A value.');
    throw e;
  }
  const user = await findUserForSignIn(deps, flow.pool, typed);
  checkSecretHash(flow.client, secretHash, [typed, user?.username]);
  const lockKey = lockKeyFor(flow.pool, user, typed);
  await assertNotLocked(deps, flow.pool.id, lockKey);
  const hide = hidesUsers(flow.client);
  if (!user && !hide) {
    await recordFailure(deps, flow.pool.id, lockKey);
    throw errors.userNotFound(messages.userDoesNotExist);
  }
  if (user?.status === 'RESET_REQUIRED' && !hide) throw errors.passwordResetRequired(messages.passwordResetRequired);
  return openPasswordVerifier(flow, user, { typed, lockKey, ...carriedOf(flow) }, A);
}

/**
 * PASSWORD_VERIFIER for a user (or a simulated one for names that must not be revealed): the server's
 * SRP half, kept in the new session with `rest` (custom auth passes its rounds along).
 */
export async function openPasswordVerifier(
  flow: Flow,
  user: UserRecord | undefined,
  rest: Omit<AuthState, 'challenge' | 'username' | 'srp' | 'simulated'>,
  A: bigint,
): Promise<AuthStep> {
  const { deps } = flow.ctx;
  const verifier = user && user.srpSalt && user.status !== 'RESET_REQUIRED' ? verifierOf(deps, user) : undefined;
  let userIdForSrp: string;
  let challenge;
  if (user && verifier !== undefined) {
    userIdForSrp = user.username;
    challenge = await startPasswordVerifier(deps, flow.pool, A, { verifier, salt: user.srpSalt! });
  } else {
    const nameKey = rest.lockKey;
    const simulated = simulatedIdentity(deps, flow.pool, nameKey, rest.typed);
    userIdForSrp = user ? user.username : simulated.userIdForSrp;
    challenge = await startPasswordVerifier(deps, flow.pool, A, { simulated: { nameKey, salt: simulated.salt } });
  }
  const state: AuthState = {
    ...rest,
    challenge: 'PASSWORD_VERIFIER',
    username: userIdForSrp,
    srp: challenge.state,
    ...(verifier === undefined ? { simulated: true } : {}),
  };
  return openChallenge(flow, state, {
    SALT: challenge.salt,
    SRP_B: challenge.srpB,
    SECRET_BLOCK: challenge.secretBlock,
    USER_ID_FOR_SRP: userIdForSrp,
    USERNAME: userIdForSrp,
  });
}

export interface PasswordClaim {
  secretBlock: string;
  timestamp: string;
  signature: string;
}

/** PASSWORD_VERIFIER: the signature proves the password; then the user's state and MFA decide. */
export async function srpVerify(flow: Flow, state: AuthState, claim: PasswordClaim, failuresOnRecord: boolean): Promise<AuthStep> {
  const user = await proveSrpPassword(flow, state, claim, failuresOnRecord);
  return afterPassword(flow, user, baseState(user, state.typed, state.lockKey, carriedFrom(state)));
}

/** The user whose password the PASSWORD_VERIFIER answer proves; a wrong one charges the lockout. */
export async function proveSrpPassword(flow: Flow, state: AuthState, claim: PasswordClaim, failuresOnRecord: boolean): Promise<UserRecord> {
  const { deps } = flow.ctx;
  if (!state.srp) throw errors.notAuthorized(messages.invalidSession);
  const user: UserRecord | undefined = state.simulated ? undefined : await findUserByUsername(deps, flow.pool, state.username);
  const verifier = user?.srpSalt ? verifierOf(deps, user) : undefined;
  const result = await checkPasswordClaim(deps, flow.pool, state.srp, verifier, { userIdForSrp: state.username, ...claim });
  if (result !== 'ok' || !user) {
    await recordFailure(deps, flow.pool.id, state.lockKey);
    throw badCredentials();
  }
  if (failuresOnRecord) await clearFailures(deps, flow.pool.id, state.lockKey);
  return user;
}
