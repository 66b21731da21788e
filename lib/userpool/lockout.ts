import { sql } from 'kysely';
import type { EngineDeps } from './context';
import { countLockout } from '../observability/metrics';
import { errors, messages } from './errors';
import { prepared } from '../db/prepared';
import type { Db } from '../db';

/**
 * Cognito's sign-in back-off (reference §3.4), per pool and normalised username — also for names that
 * do not exist, so probing unknown names costs the same. After FREE_FAILURES consecutive failures the
 * name is locked for 2^(n−5) s (doubling, capped at 15 min); attempts while locked are refused without
 * counting; 15 min without a failure starts the count afresh; a success clears it.
 *
 * Every change is one atomic upsert, so several processes on one PostgreSQL count correctly.
 */
export const FREE_FAILURES = 5;
export const MAX_LOCK_MS = 15 * 60_000;
export const RESET_AFTER_MS = 15 * 60_000;

/** How long the n-th consecutive failure locks the name (0 while failures are still free). */
export function lockDurationMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  const exponent = failures - FREE_FAILURES;
  // 2^10 s already exceeds the cap; avoid building huge numbers for long-running attackers.
  return exponent >= 10 ? MAX_LOCK_MS : Math.min(2 ** exponent * 1000, MAX_LOCK_MS);
}

function lockedError() {
  return errors.notAuthorized(messages.attemptsExceeded);
}

/**
 * Throws "Password attempts exceeded" while the name is locked. Returns whether failures are on record,
 * so a success only pays for clearFailures when there is something to clear.
 */
const lockoutOf = prepared((db: Db, poolId: string, userKey: string) =>
  db.selectFrom('lockouts').select(['locked_until']).where('pool_id', '=', poolId).where('user_key', '=', userKey),
);

export async function assertNotLocked(deps: EngineDeps, poolId: string, userKey: string): Promise<boolean> {
  const row = await lockoutOf.first(deps.db, poolId, userKey);
  if (row && Number(row.locked_until) > deps.clock.now()) throw lockedError();
  return row !== undefined;
}

/**
 * Counts one failure. Returns the consecutive count, or undefined when the name was already locked (a
 * concurrent failure got there first): such an attempt neither counts nor extends the lock.
 */
export async function recordFailure(deps: EngineDeps, poolId: string, userKey: string): Promise<number | undefined> {
  const now = deps.clock.now();
  const stale = now - RESET_AFTER_MS;
  // The failure count after this attempt, computed from the existing row inside the upsert.
  const big = (v: number) => sql<number>`CAST(${v} AS BIGINT)`;
  const next = sql<number>`(CASE WHEN lockouts.last_failure_at < ${big(stale)} THEN 1 ELSE lockouts.failures + 1 END)`;
  const cases = [];
  for (let n = FREE_FAILURES; lockDurationMs(n) < MAX_LOCK_MS; n++) cases.push(sql`WHEN ${next} = ${n} THEN ${big(now + lockDurationMs(n))}`);
  const lockedUntil = sql<number>`(CASE WHEN ${next} < ${FREE_FAILURES} THEN ${big(0)} ${sql.join(cases, sql` `)} ELSE ${big(now + MAX_LOCK_MS)} END)`;
  const row = await deps.db
    .insertInto('lockouts')
    .values({ pool_id: poolId, user_key: userKey, failures: 1, locked_until: now + lockDurationMs(1), last_failure_at: now })
    .onConflict((oc) =>
      oc
        .columns(['pool_id', 'user_key'])
        .doUpdateSet({ failures: next, locked_until: lockedUntil, last_failure_at: now })
        .where('lockouts.locked_until', '<=', now),
    )
    .returning(['failures'])
    .executeTakeFirst();
  if (row && Number(row.failures) >= FREE_FAILURES) countLockout();
  return row ? Number(row.failures) : undefined;
}

/** A successful sign-in step clears the count. */
export async function clearFailures(deps: EngineDeps, poolId: string, userKey: string): Promise<void> {
  await deps.db.deleteFrom('lockouts').where('pool_id', '=', poolId).where('user_key', '=', userKey).execute();
}
