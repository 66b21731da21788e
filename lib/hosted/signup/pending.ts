import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { HostedRuntime } from '../runtime';
import type { AuthorizeRequest } from '../../oauth/types';
import { sha256Base64Url } from '../../crypto/secretbox';
import { safeEqual } from '../../crypto/compare';

/**
 * A sign-up waiting for its confirmation code. It keeps the authorization request the person started
 * from for as long as the code is valid (24 h), well beyond the 5-minute sign-in transaction, so a
 * confirmation (by code or by the emailed link, in this browser or another) can still continue to the
 * app. The page URL carries only an opaque id (`?p=`); the row holds its digest, the digest of the
 * browser cookie it was made in, and the rest sealed (the pool's Session must never leave the server).
 */
export const PENDING_TTL_MS = 24 * 3_600_000;
const PURPOSE = 'hosted-pending-signup';
export const PENDING_PARAM = 'p';

const PendingData = z.object({
  request: z.custom<AuthorizeRequest>((v) => typeof v === 'object' && v !== null),
  /** SignUp's Session (clients with ALLOW_USER_AUTH): confirms and then signs in without the password. */
  session: z.string().optional(),
  typedUsername: z.string(),
  destination: z.string().optional(),
  medium: z.string().optional(),
  /** The transaction the sign-up was made in (continued while it is alive). */
  txId: z.string().optional(),
});
export type PendingData = z.infer<typeof PendingData>;

export interface PendingSignup {
  /** The opaque id (only in the caller's hands right after creation or from the URL). */
  id: string;
  poolId: string;
  clientId: string;
  /** The pool's username (the UserSub when the sign-in name is an email or phone), as in the link's user_name. */
  username: string;
  browserDigest: string;
  data: PendingData;
  expiresAt: number;
  lastSentAt: number;
}

export async function createPending(
  rt: HostedRuntime,
  o: { poolId: string; clientId: string; username: string; browserId: string; data: PendingData },
): Promise<PendingSignup> {
  const id = randomBytes(24).toString('base64url');
  const now = rt.clock.now();
  const row = {
    id: sha256Base64Url(id),
    pool_id: o.poolId,
    client_id: o.clientId,
    username: o.username,
    browser: sha256Base64Url(o.browserId),
    data_enc: rt.box.seal(JSON.stringify(o.data), PURPOSE),
    created_at: now,
    expires_at: now + PENDING_TTL_MS,
    last_sent_at: now,
  };
  await rt.db.insertInto('pending_signups').values(row).execute();
  return { id, poolId: o.poolId, clientId: o.clientId, username: o.username, browserDigest: row.browser, data: o.data, expiresAt: row.expires_at, lastSentAt: now };
}

function fromRow(
  rt: HostedRuntime,
  id: string,
  row: { pool_id: string; client_id: string; username: string; browser: string; data_enc: string; expires_at: number | string; last_sent_at: number | string },
): PendingSignup | undefined {
  const parsed = PendingData.safeParse(JSON.parse(rt.box.openText(row.data_enc, PURPOSE)));
  if (!parsed.success) return undefined;
  return {
    id,
    poolId: row.pool_id,
    clientId: row.client_id,
    username: row.username,
    browserDigest: row.browser,
    data: parsed.data,
    expiresAt: Number(row.expires_at),
    lastSentAt: Number(row.last_sent_at),
  };
}

/** The pending sign-up behind `?p=`, only for the browser that made it and only while its code is valid. */
export async function loadPending(rt: HostedRuntime, id: string | undefined | null, browserId: string | undefined): Promise<PendingSignup | undefined> {
  if (!id || !browserId || id.length > 64) return undefined;
  const row = await rt.db.selectFrom('pending_signups').selectAll().where('id', '=', sha256Base64Url(id)).executeTakeFirst();
  if (!row || Number(row.expires_at) <= rt.clock.now() || !safeEqual(row.browser, sha256Base64Url(browserId))) return undefined;
  return fromRow(rt, id, row);
}

/** The newest live pending sign-up of a user (the emailed link names only client and user). */
export async function findPendingFor(rt: HostedRuntime, clientId: string, username: string): Promise<PendingSignup | undefined> {
  const row = await rt.db
    .selectFrom('pending_signups')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('username', '=', username)
    .where('expires_at', '>', rt.clock.now())
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  // The opaque id is not recoverable from its digest; callers of this lookup only need the row.
  return row ? fromRow(rt, '', row) : undefined;
}

export function sameBrowser(pending: PendingSignup, browserId: string | undefined): boolean {
  return !!browserId && safeEqual(pending.browserDigest, sha256Base64Url(browserId));
}

export async function markSent(rt: HostedRuntime, pending: PendingSignup): Promise<void> {
  pending.lastSentAt = rt.clock.now();
  await rt.db
    .updateTable('pending_signups')
    .set({ last_sent_at: pending.lastSentAt })
    .where('client_id', '=', pending.clientId)
    .where('username', '=', pending.username)
    .execute();
}

/** Ends every pending sign-up of the user once the account is confirmed (a second tab's too). */
export async function deletePendingFor(rt: HostedRuntime, clientId: string, username: string): Promise<void> {
  await rt.db.deleteFrom('pending_signups').where('client_id', '=', clientId).where('username', '=', username).execute();
}

/** Seconds until another code may be asked for (0 when it may be now). */
export function cooldownLeft(rt: HostedRuntime, lastSentAt: number): number {
  return Math.max(0, Math.ceil((lastSentAt + rt.settings.resendCooldown * 1000 - rt.clock.now()) / 1000));
}
