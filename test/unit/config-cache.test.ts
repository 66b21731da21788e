import { describe, expect, it } from 'vitest';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { CHECK_INTERVAL_MS, cachedConfig, configWritten, newConfigCache, writesConfig } from '../../lib/db/config-cache';
import type { Database, Db } from '../../lib/db';

/**
 * lib/db/config-cache.ts with a clock and a change count the test moves: what is kept, for how long,
 * and what a write or another process's change drops. test/integration/config-cache.test.ts runs the
 * same on a real database.
 */
function setup() {
  let time = 1_000;
  let version = 0;
  let versionReads = 0;
  let versionFails = false;
  const cache = newConfigCache(
    async () => {
      versionReads++;
      if (versionFails) throw new Error('database down');
      return version;
    },
    () => time,
  );
  const db = { isTransaction: false } as unknown as Db;
  cache.attach(db);
  let loads = 0;
  const load = (value: unknown) => async () => {
    loads++;
    return value;
  };
  return {
    db,
    cache,
    load,
    loads: () => loads,
    versionReads: () => versionReads,
    advance: (ms: number) => (time += ms),
    otherProcessWrites: () => version++,
    failVersion: (fails: boolean) => (versionFails = fails),
  };
}

describe('the configuration cache', () => {
  it('reads a row once while nothing changes, checking the change count once per interval', async () => {
    const s = setup();
    expect(await cachedConfig(s.db, 'k', s.load('a'))).toBe('a');
    expect(await cachedConfig(s.db, 'k', s.load('b'))).toBe('a');
    s.advance(CHECK_INTERVAL_MS - 1);
    expect(await cachedConfig(s.db, 'k', s.load('b'))).toBe('a');
    expect(s.versionReads()).toBe(1);
    s.advance(1);
    expect(await cachedConfig(s.db, 'k', s.load('b'))).toBe('a');
    expect(s.versionReads()).toBe(2);
    expect(s.loads()).toBe(1);
  });

  it("sees another process's change at the first read after the interval, not before", async () => {
    const s = setup();
    await cachedConfig(s.db, 'k', s.load('old'));
    s.otherProcessWrites();
    s.advance(CHECK_INTERVAL_MS / 2);
    expect(await cachedConfig(s.db, 'k', s.load('new'))).toBe('old');
    s.advance(CHECK_INTERVAL_MS / 2);
    expect(await cachedConfig(s.db, 'k', s.load('new'))).toBe('new');
    expect(await cachedConfig(s.db, 'k', s.load('newer'))).toBe('new');
  });

  it('keeps an absent row as absent, until a change', async () => {
    const s = setup();
    expect(await cachedConfig(s.db, 'missing', s.load(undefined))).toBeUndefined();
    expect(await cachedConfig(s.db, 'missing', s.load('created'))).toBeUndefined();
    configWritten(s.db);
    expect(await cachedConfig(s.db, 'missing', s.load('created'))).toBe('created');
  });

  it('a write through the handle drops everything at once, whatever the clock says', async () => {
    const s = setup();
    await cachedConfig(s.db, 'a', s.load(1));
    await cachedConfig(s.db, 'b', s.load(2));
    configWritten(s.db);
    expect(await cachedConfig(s.db, 'a', s.load(10))).toBe(10);
    expect(await cachedConfig(s.db, 'b', s.load(20))).toBe(20);
  });

  it('a read that was in flight when a write dropped the cache is returned but not kept', async () => {
    const s = setup();
    await cachedConfig(s.db, 'warm', s.load(0));
    let finish!: (v: string) => void;
    const slow = cachedConfig(s.db, 'k', () => new Promise<string>((r) => (finish = r)));
    configWritten(s.db);
    finish('read before the write');
    expect(await slow).toBe('read before the write');
    expect(await cachedConfig(s.db, 'k', s.load('after the write'))).toBe('after the write');
  });

  it('a read in flight when a check finds a change is not kept either', async () => {
    const s = setup();
    await cachedConfig(s.db, 'warm', s.load(0));
    let finish!: (v: string) => void;
    const slow = cachedConfig(s.db, 'k', () => new Promise<string>((r) => (finish = r)));
    s.otherProcessWrites();
    s.advance(CHECK_INTERVAL_MS);
    expect(await cachedConfig(s.db, 'other', s.load('x'))).toBe('x');
    finish('stale');
    await slow;
    expect(await cachedConfig(s.db, 'k', s.load('fresh'))).toBe('fresh');
  });

  it('reads in a transaction, and on a handle without a cache, always load', async () => {
    const s = setup();
    await cachedConfig(s.db, 'k', s.load('kept'));
    const tx = Object.assign(Object.create(s.db as object) as object, { isTransaction: true }) as Db;
    expect(await cachedConfig(tx, 'k', s.load('in the transaction'))).toBe('in the transaction');
    const plain = { isTransaction: false } as unknown as Db;
    expect(await cachedConfig(plain, 'k', s.load('uncached'))).toBe('uncached');
    expect(await cachedConfig(plain, 'k', s.load('uncached again'))).toBe('uncached again');
  });

  it('a failed load is not kept, and a failed check fails the read and is tried again', async () => {
    const s = setup();
    await expect(cachedConfig(s.db, 'k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cachedConfig(s.db, 'k', s.load('ok'))).toBe('ok');
    s.advance(CHECK_INTERVAL_MS);
    s.failVersion(true);
    await expect(cachedConfig(s.db, 'k', s.load('x'))).rejects.toThrow('database down');
    s.failVersion(false);
    s.otherProcessWrites();
    expect(await cachedConfig(s.db, 'k', s.load('after'))).toBe('after');
  });

  it('concurrent reads due a check share one', async () => {
    const s = setup();
    await cachedConfig(s.db, 'k', s.load('a'));
    s.advance(CHECK_INTERVAL_MS);
    await Promise.all([1, 2, 3, 4].map(() => cachedConfig(s.db, 'k', s.load('b'))));
    expect(s.versionReads()).toBe(2);
  });

  it('unknown ids cannot grow it without bound: the oldest entries go first', async () => {
    const s = setup();
    for (let i = 0; i < 5_001; i++) await cachedConfig(s.db, `id-${i}`, s.load(i));
    expect(s.loads()).toBe(5_001);
    expect(await cachedConfig(s.db, 'id-5000', s.load('again'))).toBe(5_000);
    expect(await cachedConfig(s.db, 'id-0', s.load('again'))).toBe('again');
  });
});

describe('which statements count as configuration writes', () => {
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new SqliteIntrospector(k),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  const node = (q: { compile(): { query: Parameters<typeof writesConfig>[0] } }) => q.compile().query;

  it('inserts, updates and deletes on the kept tables, aliased or not', () => {
    expect(writesConfig(node(db.insertInto('pools').values({ id: 'p', name: 'n', config: '{}', created_at: 0, updated_at: 0 })))).toBe(true);
    expect(writesConfig(node(db.updateTable('clients').set({ client_name: 'x' }).where('client_id', '=', 'c')))).toBe(true);
    expect(writesConfig(node(db.updateTable('clients as c').set({ client_name: 'x' })))).toBe(true);
    expect(writesConfig(node(db.deleteFrom('client_settings').where('client_id', '=', 'c')))).toBe(true);
    expect(writesConfig(node(db.deleteFrom('pool_settings as s')))).toBe(true);
  });

  it('not reads, and not writes elsewhere', () => {
    expect(writesConfig(node(db.selectFrom('pools').selectAll()))).toBe(false);
    expect(writesConfig(node(db.updateTable('users').set({ enabled: 0 })))).toBe(false);
    expect(writesConfig(node(db.deleteFrom('rate_limits')))).toBe(false);
    expect(writesConfig(node(db.insertInto('lockouts').values({ pool_id: 'p', user_key: 'u', failures: 1, last_failure_at: 0, locked_until: 0 })))).toBe(false);
  });
});
