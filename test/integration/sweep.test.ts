import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { sweepHosted } from '../../lib/hosted/sweep';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { Db } from '../../lib/db';

/**
 * Every store with a lifetime loses its expired rows to the sweepers (the engine's and the hosted
 * front's, each run once a minute by every instance) and keeps the live ones. Rows are written straight
 * into the tables, one expired and one live per store, so a store the sweepers forget shows up here.
 */
let t: TestPool;
let rt: HostedRuntime;
const POOL = 'us-east-1_Sweep0001';
const DAY = 24 * 3600_000;

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
});
afterAll(async () => t?.close());

type Seed = (db: Db, key: string, at: { expires: number; created: number }) => Promise<unknown>;

/** table → how to write one row whose lifetime ends at `expires`, and how to find it again by `key`. */
const stores: Record<string, { seed: Seed; keyColumn: string; expiredAt: (now: number) => number; liveAt: (now: number) => number }> = {
  auth_sessions: {
    keyColumn: 'id',
    // A Session gets a minute's grace after it expires (a slow MFA answer still gets "expired").
    expiredAt: (now) => now - 61_000,
    liveAt: (now) => now + 60_000,
    seed: (db, key, at) => db.insertInto('auth_sessions').values({ id: key, pool_id: POOL, client_id: 'c', data_enc: 'x', expires_at: at.expires }).execute(),
  },
  codes: {
    keyColumn: 'username_key',
    expiredAt: (now) => now - 1,
    liveAt: (now) => now + 60_000,
    seed: (db, key, at) =>
      db.insertInto('codes').values({ pool_id: POOL, username_key: key, purpose: 'signup', code_digest: key, data: null, attempts: 0, created_at: at.created, expires_at: at.expires }).execute(),
  },
  lockouts: {
    keyColumn: 'user_key',
    // A lockout counts failures for a day after the last one.
    expiredAt: (now) => now - DAY - 1,
    liveAt: (now) => now - DAY + 60_000,
    seed: (db, key, at) => db.insertInto('lockouts').values({ pool_id: POOL, user_key: key, failures: 3, locked_until: 0, last_failure_at: at.expires }).execute(),
  },
  refresh_tokens: {
    keyColumn: 'token_digest',
    expiredAt: (now) => now - 1,
    liveAt: (now) => now + DAY,
    seed: (db, key, at) =>
      db.insertInto('refresh_tokens').values({ token_digest: key, origin_jti: `live-family`, created_at: at.created, expires_at: at.expires, rotated_at: null }).execute(),
  },
  token_families: {
    keyColumn: 'origin_jti',
    // Access tokens (at most a day) read their family; it stays a day past its refresh tokens.
    expiredAt: (now) => now - DAY - 1,
    liveAt: (now) => now - DAY + 60_000,
    seed: (db, key, at) =>
      db
        .insertInto('token_families')
        .values({ origin_jti: key, pool_id: POOL, client_id: 'c', username_key: 'u', auth_time: 0, created_at: at.created, expires_at: at.expires, revoked_at: null, scopes: null })
        .execute(),
  },
  outbox: {
    keyColumn: 'id',
    expiredAt: (now) => now - 7 * DAY - 1,
    liveAt: (now) => now - 6 * DAY,
    seed: (db, key, at) =>
      db.insertInto('outbox').values({ id: key, pool_id: POOL, to_addr: 'a@example.com', medium: 'EMAIL', subject: 's', body_text: 'b', status: 'outbox', created_at: at.expires }).execute(),
  },
  hosted_transactions: {
    keyColumn: 'id',
    expiredAt: (now) => now - 1,
    liveAt: (now) => now + 60_000,
    seed: (db, key, at) => db.insertInto('hosted_transactions').values({ id: key, browser: 'b', data_enc: 'x', created_at: at.created, expires_at: at.expires }).execute(),
  },
  hosted_sessions: {
    keyColumn: 'id',
    expiredAt: (now) => now - 1,
    liveAt: (now) => now + 60_000,
    seed: (db, key, at) =>
      db.insertInto('hosted_sessions').values({ id: key, pool_id: POOL, sub: 's', data_enc: 'x', auth_time: 0, created_at: at.created, expires_at: at.expires }).execute(),
  },
  auth_codes: {
    keyColumn: 'code_digest',
    expiredAt: (now) => now - 1,
    liveAt: (now) => now + 60_000,
    seed: (db, key, at) =>
      db.insertInto('auth_codes').values({ code_digest: key, client_id: 'c', data_enc: 'x', created_at: at.created, expires_at: at.expires, redeemed_at: null }).execute(),
  },
  hosted_flash: {
    keyColumn: 'id',
    expiredAt: (now) => now - 1,
    liveAt: (now) => now + 60_000,
    seed: (db, key, at) => db.insertInto('hosted_flash').values({ id: key, browser: 'b', data_enc: 'x', expires_at: at.expires }).execute(),
  },
  pending_signups: {
    keyColumn: 'id',
    expiredAt: (now) => now - 1,
    liveAt: (now) => now + 60_000,
    seed: (db, key, at) =>
      db
        .insertInto('pending_signups')
        .values({ id: key, pool_id: POOL, client_id: 'c', username: key, browser: 'b', data_enc: 'x', created_at: at.created, expires_at: at.expires, last_sent_at: at.created })
        .execute(),
  },
  rate_limits: {
    keyColumn: 'key',
    expiredAt: (now) => now - 1,
    liveAt: (now) => now + 60_000,
    seed: (db, key, at) => db.insertInto('rate_limits').values({ key, window_start: at.created, count: 1, expires_at: at.expires }).execute(),
  },
};

async function keysIn(table: string, column: string): Promise<string[]> {
  // The table name comes from the fixed list above, never from input.
  const rows = (await t.db.selectFrom(table as 'codes').select(column as 'username_key').execute()) as Array<Record<string, string>>;
  return rows.map((r) => r[column]!).sort();
}

describe('sweeping expired rows', () => {
  it('removes the expired row of every store with a lifetime and keeps the live one', async () => {
    const now = t.clock.now();
    for (const [table, s] of Object.entries(stores)) {
      await s.seed(t.db, `${table}-expired`, { expires: s.expiredAt(now), created: now - 8 * DAY });
      await s.seed(t.db, `${table}-live`, { expires: s.liveAt(now), created: now - DAY });
    }
    // A live family keeps its (still valid) refresh token; an expired family takes its tokens along.
    await stores.token_families!.seed(t.db, 'live-family', { expires: now + DAY, created: now });
    await t.db
      .insertInto('refresh_tokens')
      .values({ token_digest: 'orphan-of-expired-family', origin_jti: 'token_families-expired', created_at: now - 8 * DAY, expires_at: now + DAY, rotated_at: now - 7 * DAY })
      .execute();
    // A message still waiting for its carrier is the delivery worker's, however old.
    await t.db
      .insertInto('outbox')
      .values({ id: 'outbox-queued-old', pool_id: POOL, to_addr: 'a@example.com', medium: 'EMAIL', subject: 's', body_text: 'b', status: 'queued', created_at: now - 30 * DAY })
      .execute();

    await t.engine.sweep();
    await sweepHosted(rt);

    const left: Record<string, string[]> = {};
    for (const [table, s] of Object.entries(stores)) left[table] = await keysIn(table, s.keyColumn);
    const expected: Record<string, string[]> = {};
    for (const table of Object.keys(stores)) expected[table] = [`${table}-live`];
    expected.token_families = ['live-family', 'token_families-live'];
    expected.outbox = ['outbox-live', 'outbox-queued-old'];
    expect(left).toEqual(expected);
  });
});
