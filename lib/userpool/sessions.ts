import { randomBytes } from 'node:crypto';
import type { EngineDeps } from './context';
import { errors, messages } from './errors';
import { sha256Base64Url } from '../crypto/secretbox';

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

export async function createSession(
  deps: EngineDeps,
  poolId: string,
  clientId: string,
  state: SessionState,
  validityMinutes = 3,
): Promise<string> {
  const session = randomBytes(96).toString('base64url');
  await deps.db
    .insertInto('auth_sessions')
    .values({
      id: sha256Base64Url(session),
      pool_id: poolId,
      client_id: clientId,
      data_enc: deps.box.seal(JSON.stringify(state), PURPOSE),
      expires_at: deps.clock.now() + validityMinutes * 60_000,
    })
    .execute();
  return session;
}

/** Takes the session out of the store (single use). Unknown or reused ⇒ "Invalid session for the user." */
export async function consumeSession(deps: EngineDeps, session: string | undefined, clientId: string): Promise<SessionState> {
  if (!session) throw errors.notAuthorized(messages.invalidSession);
  const row = await deps.db
    .deleteFrom('auth_sessions')
    .where('id', '=', sha256Base64Url(session))
    .returningAll()
    .executeTakeFirst();
  if (!row || row.client_id !== clientId) throw errors.notAuthorized(messages.invalidSession);
  if (Number(row.expires_at) <= deps.clock.now()) throw errors.notAuthorized(messages.sessionExpired);
  return JSON.parse(deps.box.openText(row.data_enc, PURPOSE)) as SessionState;
}

export async function sweepSessions(deps: EngineDeps): Promise<void> {
  await deps.db.deleteFrom('auth_sessions').where('expires_at', '<', deps.clock.now() - 60_000).execute();
}
