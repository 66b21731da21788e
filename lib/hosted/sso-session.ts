import { randomToken } from '../crypto/random';
import type { HostedRuntime } from './runtime';
import { sha256Base64Url } from '../crypto/secretbox';
import { prepared, type Write } from '../db/prepared';
import type { Db } from '../db';

/**
 * The hosted SSO session: a server-side record behind an httpOnly cookie, 1 hour by default
 * (PORTICO_SESSION_TTL), that lets another app client of the same pool get a code without the password.
 * Logout deletes the record, not only the cookie. The cookie value is random; only its hash is stored.
 */
const PURPOSE = 'hosted-session';

export interface SsoSessionData {
  poolId: string;
  sub: string;
  /** The pool's username, for CUSTOM_AUTH USERNAME and SECRET_HASH. */
  username: string;
  /** Seconds: the interactive sign-in. */
  authTime: number;
  /** Client ids that received tokens in this session (for logout bookkeeping). */
  clients: string[];
}

export interface SsoSession {
  id: string;
  data: SsoSessionData;
  expiresAt: number;
}

const insertSession = prepared(
  (db: Db, id: string, poolId: string, sub: string, dataEnc: string, authTime: number, now: number, expiresAt: number) =>
    db.insertInto('hosted_sessions').values({ id, pool_id: poolId, sub, data_enc: dataEnc, auth_time: authTime, created_at: now, expires_at: expiresAt }),
);

const deleteSession = prepared((db: Db, id: string) => db.deleteFrom('hosted_sessions').where('id', '=', id));

/** A new session and the write that stores it (writeAll: a sign-in stores it with its other writes). */
export function newSsoSession(rt: HostedRuntime, data: SsoSessionData): { session: SsoSession; write: Write } {
  const id = randomToken(32);
  const now = rt.clock.now();
  const expiresAt = now + rt.settings.sessionTtl * 1000;
  const write = insertSession.write(sha256Base64Url(id), data.poolId, data.sub, rt.box.seal(JSON.stringify(data), PURPOSE), data.authTime, now, expiresAt);
  return { session: { id, data, expiresAt }, write };
}

/** destroySsoSession as a write of a batch (writeAll). */
export function destroySsoSessionWrite(id: string): Write {
  return deleteSession.write(sha256Base64Url(id));
}

export async function loadSsoSession(rt: HostedRuntime, id: string | undefined): Promise<SsoSession | undefined> {
  if (!id || id.length > 64) return undefined;
  const row = await rt.db.selectFrom('hosted_sessions').selectAll().where('id', '=', sha256Base64Url(id)).executeTakeFirst();
  if (!row || Number(row.expires_at) <= rt.clock.now()) return undefined;
  return { id, data: JSON.parse(rt.box.openText(row.data_enc, PURPOSE)) as SsoSessionData, expiresAt: Number(row.expires_at) };
}

export async function updateSsoSession(rt: HostedRuntime, session: SsoSession): Promise<void> {
  await rt.db
    .updateTable('hosted_sessions')
    .set({ data_enc: rt.box.seal(JSON.stringify(session.data), PURPOSE) })
    .where('id', '=', sha256Base64Url(session.id))
    .execute();
}

export async function destroySsoSession(rt: HostedRuntime, id: string | undefined): Promise<void> {
  if (!id) return;
  await deleteSession.run(rt.db, sha256Base64Url(id));
}

export async function sweepSsoSessions(rt: HostedRuntime): Promise<void> {
  const now = rt.clock.now();
  await rt.db.deleteFrom('hosted_sessions').where('expires_at', '<', now).execute();
  await rt.db.deleteFrom('hosted_transactions').where('expires_at', '<', now).execute();
}
