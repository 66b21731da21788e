import type { EngineDeps } from './context';
import { sweepSessions } from './sessions';

const DAY_MS = 24 * 3600_000;
/**
 * A family outlives its refresh tokens by a day: access tokens (valid at most a day) look their family up
 * and read a missing one as revoked, so an access token must expire before its family row goes.
 */
const FAMILY_GRACE_MS = DAY_MS;
/** Sent (or never sendable) messages stay readable on /dev/outbox for a week; their codes expired long before. */
export const OUTBOX_RETENTION_MS = 7 * DAY_MS;

/** Removes the embedded pool's expired rows: sign-in sessions, codes, stale lockouts, refresh tokens, old messages. */
export async function sweepEngine(deps: EngineDeps): Promise<void> {
  await sweepSessions(deps);
  const now = deps.clock.now();
  await deps.db.deleteFrom('codes').where('expires_at', '<', now).execute();
  await deps.db.deleteFrom('lockouts').where('last_failure_at', '<', now - DAY_MS).execute();
  await deps.db.deleteFrom('refresh_tokens').where('expires_at', '<', now).execute();
  const families = deps.db.selectFrom('token_families').select('origin_jti').where('expires_at', '<', now - FAMILY_GRACE_MS);
  // A rotated-out token of a live family is kept until it expires (reuse detection reads it), so only
  // tokens of families that are themselves gone are removed here.
  await deps.db.deleteFrom('refresh_tokens').where('origin_jti', 'in', families).execute();
  await deps.db.deleteFrom('token_families').where('expires_at', '<', now - FAMILY_GRACE_MS).execute();
  // Messages still waiting for a carrier are the delivery worker's to finish or give up.
  await deps.db
    .deleteFrom('outbox')
    .where('created_at', '<', now - OUTBOX_RETENTION_MS)
    .where('status', 'not in', ['queued', 'sending'])
    .execute();
}
