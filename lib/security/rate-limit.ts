import { sql } from 'kysely';
import type { Db } from '../db';
import { prepared } from '../db/prepared';

/**
 * Fixed-window counters in the shared database, so every instance counts the same hits (issue 6). One
 * statement per hit: an upsert that starts a new window when the old one is over and otherwise adds one,
 * returning the count — no read-then-write race between instances.
 */
export interface RateLimit {
  /** Hits allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateVerdict {
  ok: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends (when a refused caller may try again). */
  retryAfterMs: number;
}

/** Counts one hit on `key` and says whether it is within `limit`. Refused hits count too. */
export async function hit(db: Db, key: string, rule: RateLimit, now: number): Promise<RateVerdict> {
  const stale = now - rule.windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1, expires_at: now + rule.windowMs })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when rate_limits.window_start <= ${stale} then 1 else rate_limits.count + 1 end`,
        expires_at: sql<number>`case when rate_limits.window_start <= ${stale} then ${now + rule.windowMs} else rate_limits.expires_at end`,
        window_start: sql<number>`case when rate_limits.window_start <= ${stale} then ${now} else rate_limits.window_start end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  const count = Number(row.count);
  return { ok: count <= rule.limit, count, retryAfterMs: Math.max(0, Number(row.window_start) + rule.windowMs - now) };
}

const windowOf = prepared((db: Db, key: string) => db.selectFrom('rate_limits').select(['count', 'window_start']).where('key', '=', key));

/** The current window's count for `key`, without counting a hit (0 when no window is open). */
export async function peek(db: Db, key: string, rule: RateLimit, now: number): Promise<RateVerdict> {
  const row = await windowOf.first(db, key);
  if (!row || Number(row.window_start) <= now - rule.windowMs) return { ok: true, count: 0, retryAfterMs: 0 };
  const count = Number(row.count);
  return { ok: count < rule.limit, count, retryAfterMs: Math.max(0, Number(row.window_start) + rule.windowMs - now) };
}

/** Checks several rules for one action; every rule counts the hit, the first refusal wins. */
export async function hitAll(db: Db, hits: Array<{ key: string; rule: RateLimit }>, now: number): Promise<RateVerdict> {
  let verdict: RateVerdict = { ok: true, count: 0, retryAfterMs: 0 };
  for (const h of hits) {
    const v = await hit(db, h.key, h.rule, now);
    if (!v.ok && verdict.ok) verdict = v;
  }
  return verdict;
}

/** Forgets a key (e.g. after a successful step that should reset a counter). */
export async function resetLimit(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

export async function sweepRateLimits(db: Db, now: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('expires_at', '<', now).execute();
}
