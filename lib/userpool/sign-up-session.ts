import type { EngineDeps } from './context';
import { errors, messages } from './errors';
import type { PoolRecord } from './pools';
import { allowedFlows, type ClientRecord } from './clients';
import { findUserForSignIn, type UserRecord } from './users';
import { createSession, reinstateSession, takeSession, type TakenSession } from './sessions';
import { checkSecretHash } from './secret-hash';
import { SIGNUP_CODE_TTL_MS } from './verification-codes';
import { afterPassword, baseState, carriedOf, lockKeyFor, sessionMinutes, type AuthStep, type Flow } from './auth-flow';

/**
 * Amplify's auto sign-in after sign-up (reference §3.6, §3.3 USER_AUTH), as Cognito does it for clients
 * with ALLOW_USER_AUTH:
 *   SignUp → Session (lives as long as the confirmation code) →
 *   ConfirmSignUp{Session} → a new single-use Session (the client's AuthSessionValidity, 3 min default) →
 *   InitiateAuth USER_AUTH {USERNAME, SECRET_HASH?} + Session → the same path a proven password takes.
 * Both sessions live in auth_sessions under a kind no challenge answer accepts, bound to pool, client and
 * the user (username and sub, so a deleted and re-created name does not inherit them).
 */
const SIGNED_UP = 'portico:sign-up';
const CONFIRMED = 'portico:sign-up-confirmed';

interface SignUpSessionState {
  challenge: typeof SIGNED_UP | typeof CONFIRMED;
  username: string;
  sub: string;
  [key: string]: unknown;
}

export function offersAutoSignIn(client: ClientRecord): boolean {
  return allowedFlows(client).has('ALLOW_USER_AUTH');
}

/** SignUp's Session, or undefined when the client does not allow USER_AUTH (Cognito returns none then). */
export async function signUpSession(deps: EngineDeps, pool: PoolRecord, client: ClientRecord, user: UserRecord): Promise<string | undefined> {
  if (!offersAutoSignIn(client)) return undefined;
  const state: SignUpSessionState = { challenge: SIGNED_UP, username: user.username, sub: user.sub };
  return createSession(deps, pool.id, client.clientId, state, SIGNUP_CODE_TTL_MS / 60_000);
}

function isFor(taken: TakenSession, kind: SignUpSessionState['challenge'], pool: PoolRecord, user: UserRecord): boolean {
  const s = taken.state as Partial<SignUpSessionState>;
  return taken.poolId === pool.id && s.challenge === kind && s.username === user.username && s.sub === user.sub;
}

/**
 * After ConfirmSignUp confirmed `user` by code: trades SignUp's Session for the one USER_AUTH accepts.
 * Cognito documents the Session only as optional input for auto sign-in; a missing, expired, reused or
 * someone else's Session therefore never blocks the confirmation itself (the code is the proof) — the
 * answer simply carries no Session, and the app falls back to a normal sign-in. A live session that is
 * not this user's SignUp session is put back untouched, so passing the wrong string cannot destroy it.
 */
export async function confirmedSession(
  deps: EngineDeps,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  session: string | undefined,
): Promise<string | undefined> {
  if (!session || !offersAutoSignIn(client)) return undefined;
  let taken: TakenSession;
  try {
    taken = await takeSession(deps, session, client.clientId);
  } catch {
    return undefined;
  }
  if (!isFor(taken, SIGNED_UP, pool, user)) {
    await reinstateSession(deps, session, taken);
    return undefined;
  }
  const state: SignUpSessionState = { challenge: CONFIRMED, username: user.username, sub: user.sub };
  return createSession(deps, pool.id, client.clientId, state, sessionMinutes(client));
}

/**
 * InitiateAuth USER_AUTH with ConfirmSignUp's Session: the confirmation code already proved the person,
 * so this continues where a correct password would (user state, MFA, the ClientMetadata nonce and
 * portico:scope shaping the tokens). It neither checks nor charges the password lockout: nothing was guessed here.
 */
export async function autoSignIn(flow: Flow, typed: string, secretHash: string | undefined, session: string): Promise<AuthStep> {
  const { deps } = flow.ctx;
  const user = await findUserForSignIn(deps, flow.pool, typed);
  checkSecretHash(flow.client, secretHash, [typed, user?.username]);
  const taken = await takeSession(deps, session, flow.client.clientId);
  if (!user || !isFor(taken, CONFIRMED, flow.pool, user)) throw errors.notAuthorized(messages.invalidSession);
  return afterPassword(flow, user, baseState(user, typed, lockKeyFor(flow.pool, user, typed), carriedOf(flow)));
}
