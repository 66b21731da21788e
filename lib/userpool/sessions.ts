import { randomToken } from '../crypto/random';
import type { EngineDeps } from './context';
import { errors, messages } from './errors';
import { sha256Base64Url } from '../crypto/secretbox';
import { prepared } from '../db/prepared';
import type { Db } from '../db';

/**
 * Cognito `Session` strings: opaque, single use, expiring after the client's AuthSessionValidity. The
 * browser-facing string is random; the server keeps the challenge state sealed, keyed by its hash.
 */
const PURPOSE = 'auth-session';

export interface SessionState {
  challenge: string;
  username: string;
  [key: string]: unknown;
}

const insertSession = prepared((db: Db, id: string, poolId: string, clientId: string, dataEnc: string, expiresAt: number) =>
  db.insertInto('auth_sessions').values({ id, pool_id: poolId, client_id: clientId, data_enc: dataEnc, expires_at: expiresAt }),
);
const deleteSession = prepared((db: Db, id: string) => db.deleteFrom('auth_sessions').where('id', '=', id).returningAll());

export async function createSession(
  deps: EngineDeps,
  poolId: string,
  clientId: string,
  state: SessionState,
  validityMinutes = 3,
): Promise<string> {
  const session = randomToken(96);
  await insertSession.run(deps.db, sha256Base64Url(session), poolId, clientId, deps.box.seal(JSON.stringify(state), PURPOSE), deps.clock.now() + validityMinutes * 60_000);
  return session;
}

/** Takes the session out of the store (single use). Unknown or reused ⇒ "Invalid session for the user." */
export async function consumeSession(deps: EngineDeps, session: string | undefined, clientId: string): Promise<SessionState> {
  if (!session) throw errors.notAuthorized(messages.invalidSession);
  const row = await deleteSession.first(deps.db, sha256Base64Url(session));
  if (!row || row.client_id !== clientId) throw errors.notAuthorized(messages.invalidSession);
  if (Number(row.expires_at) <= deps.clock.now()) throw errors.notAuthorized(messages.sessionExpired);
  return JSON.parse(deps.box.openText(row.data_enc, PURPOSE)) as SessionState;
}

export interface TakenSession {
  state: SessionState;
  poolId: string;
  clientId: string;
  expiresAt: number;
}

/**
 * consumeSession for callers that learn the client from the session (AssociateSoftwareToken{Session}
 * carries no ClientId) or that may have to put it back (see reinstateSession).
 */
export async function takeSession(deps: EngineDeps, session: string | undefined, clientId?: string): Promise<TakenSession> {
  if (!session) throw errors.notAuthorized(messages.invalidSession);
  const row = await deleteSession.first(deps.db, sha256Base64Url(session));
  if (!row || (clientId !== undefined && row.client_id !== clientId)) throw errors.notAuthorized(messages.invalidSession);
  const expiresAt = Number(row.expires_at);
  if (expiresAt <= deps.clock.now()) throw errors.notAuthorized(messages.sessionExpired);
  return { state: JSON.parse(deps.box.openText(row.data_enc, PURPOSE)) as SessionState, poolId: row.pool_id, clientId: row.client_id, expiresAt };
}

/**
 * Puts a taken session back under the same string and expiry, with updated state: a wrong MFA code may
 * be retried with the same Session, as Cognito allows.
 */
export async function reinstateSession(deps: EngineDeps, session: string, taken: TakenSession): Promise<void> {
  await deps.db
    .insertInto('auth_sessions')
    .values({
      id: sha256Base64Url(session),
      pool_id: taken.poolId,
      client_id: taken.clientId,
      data_enc: deps.box.seal(JSON.stringify(taken.state), PURPOSE),
      expires_at: taken.expiresAt,
    })
    .execute();
}

export async function sweepSessions(deps: EngineDeps): Promise<void> {
  await deps.db.deleteFrom('auth_sessions').where('expires_at', '<', deps.clock.now() - 60_000).execute();
}
