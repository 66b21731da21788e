import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { NothingToClaim, prepared, writeAll } from '../../lib/db/prepared';
import { isPostgres, type Db } from '../../lib/db';

/**
 * lib/db/prepared.ts on the suite's database (SQLite, or PostgreSQL with PORTICO_TEST_DB=postgres): the
 * same rows as the query built each time, new values every call, constants the builder adds kept, inside
 * a transaction too, a statement from another task kept out of an open transaction (SQLite's direct path),
 * and a builder that changes an argument refused instead of running the wrong SQL.
 */
let t: TestPool;
let db: Db;
beforeAll(async () => {
  t = await startTestPool();
  db = t.db;
  for (let i = 0; i < 5; i++) {
    await db.insertInto('rate_limits').values({ key: `prep-${i}`, count: i, window_start: 1000 + i, expires_at: 9_000_000_000_000 }).execute();
  }
});
afterAll(async () => t?.close());

const byKey = prepared((d: Db, key: string) => d.selectFrom('rate_limits').select(['key', 'count', 'window_start']).where('key', '=', key));
const above = prepared((d: Db, min: number) =>
  d.selectFrom('rate_limits').select('key').where('count', '>', min).where('key', 'like', 'prep-%').orderBy('key'),
);
const bump = prepared((d: Db, key: string, by: number) => d.updateTable('rate_limits').set({ count: by }).where('key', '=', key));

/**
 * A transaction in another task that writes `count` to `key`, then stays open until `release()` and rolls
 * back; `open` resolves once it is inside.
 */
function heldTransaction(key: string, count: number): { open: Promise<void>; release: () => void; rolledBack: Promise<string> } {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const open = new Promise<void>((r) => (entered = r));
  const rolledBack = db
    .transaction()
    .execute(async (trx) => {
      await bump.run(trx, key, count);
      entered();
      await held;
      throw new Error('roll back');
    })
    .catch((e: Error) => e.message);
  return { open, release, rolledBack };
}

describe('prepared queries', () => {
  it('answer what the query built each time answers, for every new value', async () => {
    for (let i = 0; i < 5; i++) {
      const built = await db.selectFrom('rate_limits').select(['key', 'count', 'window_start']).where('key', '=', `prep-${i}`).executeTakeFirst();
      expect(await byKey.first(db, `prep-${i}`)).toEqual(built);
    }
    expect(await byKey.first(db, 'nobody')).toBeUndefined();
    expect((await above.all(db, 2)).map((r) => r.key)).toEqual(['prep-3', 'prep-4']);
    expect((await above.all(db, 0)).map((r) => r.key)).toEqual(['prep-1', 'prep-2', 'prep-3', 'prep-4']);
  });

  it('run reports the rows changed, also inside a transaction', async () => {
    expect(await bump.run(db, 'prep-0', 40)).toBe(1);
    expect(await bump.run(db, 'nobody', 40)).toBe(0);
    await db.transaction().execute(async (trx) => {
      expect(await bump.run(trx, 'prep-1', 41)).toBe(1);
      expect((await byKey.first(trx, 'prep-1'))?.count).toBe(41);
    });
    expect((await byKey.first(db, 'prep-0'))?.count).toBe(40);
  });

  it('a statement from another task while a transaction is open neither joins it nor is lost with its rollback', async () => {
    const other = heldTransaction('prep-2', 500);
    await other.open;
    // Issued while the transaction is open on SQLite's one connection: it must wait, not run inside it.
    const outside = bump.run(db, 'prep-3', 77);
    other.release();
    expect(await other.rolledBack).toBe('roll back');
    expect(await outside).toBe(1);
    expect((await byKey.first(db, 'prep-3'))?.count).toBe(77);
    expect((await byKey.first(db, 'prep-2'))?.count).toBe(2);
  });

  it('on SQLite runs on better-sqlite3 directly outside transactions and through Kysely inside one; on PostgreSQL always through Kysely', async () => {
    const direct = !isPostgres(db);
    let throughKysely = 0;
    const executor = db.getExecutor();
    const original = executor.executeQuery.bind(executor);
    executor.executeQuery = ((q: Parameters<typeof original>[0]) => {
      throughKysely++;
      return original(q);
    }) as typeof executor.executeQuery;
    try {
      expect((await byKey.first(db, 'prep-4'))?.count).toBe(4);
      expect(await bump.run(db, 'prep-4', 44)).toBe(1);
      expect(throughKysely).toBe(direct ? 0 : 2);
    } finally {
      executor.executeQuery = original;
    }
    await db.transaction().execute(async (trx) => {
      const inner = trx.getExecutor();
      const before = inner.executeQuery.bind(inner);
      let counted = 0;
      inner.executeQuery = ((q: Parameters<typeof before>[0]) => {
        counted++;
        return before(q);
      }) as typeof inner.executeQuery;
      expect((await byKey.first(trx, 'prep-4'))?.count).toBe(44);
      expect(counted).toBe(1);
    });
  });

  it('first on a delete … returning removes the row and hands it over once', async () => {
    await db.insertInto('rate_limits').values({ key: 'prep-take', count: 9, window_start: 1, expires_at: 9_000_000_000_000 }).execute();
    const take = prepared((d: Db, key: string) => d.deleteFrom('rate_limits').where('key', '=', key).returning(['key', 'count']));
    expect(await take.first(db, 'prep-take')).toEqual({ key: 'prep-take', count: 9 });
    expect(await take.first(db, 'prep-take')).toBeUndefined();
    expect(await byKey.first(db, 'prep-take')).toBeUndefined();
  });

  const insertLimit = prepared((d: Db, key: string, count: number) =>
    d.insertInto('rate_limits').values({ key, count, window_start: 1, expires_at: 9_000_000_000_000 }),
  );

  it('writeAll commits every write, or none when one fails', async () => {
    await writeAll(db, [insertLimit.write('prep-all-1', 1), insertLimit.write('prep-all-2', 2), bump.write('prep-all-1', 11)]);
    expect((await byKey.first(db, 'prep-all-1'))?.count).toBe(11);
    expect((await byKey.first(db, 'prep-all-2'))?.count).toBe(2);
    // The second write breaks the primary key: the first is rolled back with it.
    await expect(writeAll(db, [insertLimit.write('prep-all-3', 3), insertLimit.write('prep-all-2', 4)])).rejects.toThrow();
    expect(await byKey.first(db, 'prep-all-3')).toBeUndefined();
    expect((await byKey.first(db, 'prep-all-2'))?.count).toBe(2);
    // Nothing is left open: the next writes commit on their own.
    await writeAll(db, [insertLimit.write('prep-all-4', 4)]);
    expect((await byKey.first(db, 'prep-all-4'))?.count).toBe(4);
  });

  it('writeAll runs on better-sqlite3 without Kysely on SQLite, and waits for another task’s open transaction', async () => {
    let kyselyTransactions = 0;
    const original = db.transaction.bind(db);
    db.transaction = (() => {
      kyselyTransactions++;
      return original();
    }) as typeof db.transaction;
    try {
      await writeAll(db, [insertLimit.write('prep-all-5', 5), bump.write('prep-all-5', 55)]);
    } finally {
      db.transaction = original;
    }
    expect(kyselyTransactions).toBe(isPostgres(db) ? 1 : 0);
    expect((await byKey.first(db, 'prep-all-5'))?.count).toBe(55);

    const other = heldTransaction('prep-all-5', 500);
    await other.open;
    const batch = writeAll(db, [insertLimit.write('prep-all-6', 6)]);
    other.release();
    expect(await other.rolledBack).toBe('roll back');
    await batch;
    expect((await byKey.first(db, 'prep-all-6'))?.count).toBe(6);
    expect((await byKey.first(db, 'prep-all-5'))?.count).toBe(55);
  });

  const removeLimit = prepared((d: Db, key: string) => d.deleteFrom('rate_limits').where('key', '=', key));

  it('a claim that changes no row abandons its batch with NothingToClaim; of two batches claiming one row, one commits', async () => {
    await insertLimit.run(db, 'prep-claim-1', 1);
    // The claim first, then a write: nothing of the batch stays when the claim finds nothing.
    const abandoned = writeAll(db, [removeLimit.claim('prep-claim-absent'), insertLimit.write('prep-claim-2', 2)]);
    await expect(abandoned).rejects.toBeInstanceOf(NothingToClaim);
    expect(await byKey.first(db, 'prep-claim-2')).toBeUndefined();
    // A claim alone (one statement, its own transaction) says so too.
    await expect(writeAll(db, [removeLimit.claim('prep-claim-absent')])).rejects.toBeInstanceOf(NothingToClaim);

    // Two completions of one thing at once: exactly one batch is stored.
    const outcomes = await Promise.allSettled([
      writeAll(db, [removeLimit.claim('prep-claim-1'), insertLimit.write('prep-claim-a', 10)]),
      writeAll(db, [removeLimit.claim('prep-claim-1'), insertLimit.write('prep-claim-b', 20)]),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(NothingToClaim);
    const stored = [await byKey.first(db, 'prep-claim-a'), await byKey.first(db, 'prep-claim-b')].filter(Boolean);
    expect(stored).toHaveLength(1);
    expect(await byKey.first(db, 'prep-claim-1')).toBeUndefined();
  });

  it('a claim behaves the same through Kysely, while another task’s transaction is open', async () => {
    await insertLimit.run(db, 'prep-claim-3', 3);
    const other = heldTransaction('prep-claim-3', 300);
    await other.open;
    const refused = writeAll(db, [removeLimit.claim('prep-claim-absent'), insertLimit.write('prep-claim-4', 4)]);
    const claimed = writeAll(db, [removeLimit.claim('prep-claim-3'), insertLimit.write('prep-claim-5', 5)]);
    other.release();
    expect(await other.rolledBack).toBe('roll back');
    await expect(refused).rejects.toBeInstanceOf(NothingToClaim);
    await claimed;
    expect(await byKey.first(db, 'prep-claim-4')).toBeUndefined();
    expect((await byKey.first(db, 'prep-claim-5'))?.count).toBe(5);
    expect(await byKey.first(db, 'prep-claim-3')).toBeUndefined();
  });

  const putKv = prepared((d: Db, key: string, value: string) => d.insertInto('kv').values({ key, value }));
  const kvOf = prepared((d: Db, key: string) => d.selectFrom('kv').select('value').where('key', '=', key));

  /** The statements the batch sent to PostgreSQL (none on SQLite, where writeAll runs on the handle). */
  async function sentToPostgres(run: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
    const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text?: string };
      sent.push(typeof q === 'string' ? q : (q.text ?? ''));
      return original.apply(this, args) as never;
    });
    try {
      await run();
    } finally {
      spy.mockRestore();
    }
    return sent;
  }

  it('writeAll over different tables: every write or none, and a claim of nothing stores nothing', async () => {
    await writeAll(db, [insertLimit.write('prep-multi-1', 1), putKv.write('prep-multi-1', 'one')]);
    expect((await byKey.first(db, 'prep-multi-1'))?.count).toBe(1);
    expect((await kvOf.first(db, 'prep-multi-1'))?.value).toBe('one');
    // The second write breaks kv's key: the first table keeps nothing either.
    await expect(writeAll(db, [insertLimit.write('prep-multi-2', 2), putKv.write('prep-multi-1', 'again')])).rejects.toThrow();
    expect(await byKey.first(db, 'prep-multi-2')).toBeUndefined();
    expect((await kvOf.first(db, 'prep-multi-1'))?.value).toBe('one');
    // A claim of nothing, wherever it stands in the batch.
    await expect(writeAll(db, [putKv.write('prep-multi-3', 'x'), removeLimit.claim('prep-multi-absent')])).rejects.toBeInstanceOf(NothingToClaim);
    expect(await kvOf.first(db, 'prep-multi-3')).toBeUndefined();
    // The claim made: the row is gone and the other write is stored.
    await writeAll(db, [removeLimit.claim('prep-multi-1'), putKv.write('prep-multi-4', 'four')]);
    expect(await byKey.first(db, 'prep-multi-1')).toBeUndefined();
    expect((await kvOf.first(db, 'prep-multi-4'))?.value).toBe('four');
  });

  it('of ten batches over different tables claiming one row at once, exactly one stores anything', async () => {
    await insertLimit.run(db, 'prep-multi-race', 1);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => writeAll(db, [removeLimit.claim('prep-multi-race'), putKv.write(`prep-multi-race-${i}`, String(i))])),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(NothingToClaim);
    const stored = await db.selectFrom('kv').select('key').where('key', 'like', 'prep-multi-race-%').execute();
    expect(stored).toHaveLength(1);
  });

  it('on PostgreSQL a batch over different tables is one statement, one write is one, and one table twice is a transaction', async () => {
    await insertLimit.run(db, 'prep-rt-0', 0);
    const distinct = await sentToPostgres(() => writeAll(db, [putKv.write('prep-rt-1', 'a'), removeLimit.claim('prep-rt-0')]));
    const single = await sentToPostgres(() => writeAll(db, [putKv.write('prep-rt-2', 'b')]));
    const sameTable = await sentToPostgres(() => writeAll(db, [insertLimit.write('prep-rt-3', 3), bump.write('prep-rt-3', 33)]));
    if (isPostgres(db)) {
      expect(distinct).toHaveLength(1);
      expect(distinct[0]).toMatch(/^with w0 as \(insert into "kv"/);
      expect(single).toHaveLength(1);
      expect(sameTable.map((q) => q.split(' ')[0]!.toLowerCase())).toEqual(['begin', 'insert', 'update', 'commit']);
    }
    // Each did what it says.
    expect(await byKey.first(db, 'prep-rt-0')).toBeUndefined();
    expect((await kvOf.first(db, 'prep-rt-1'))?.value).toBe('a');
    expect((await kvOf.first(db, 'prep-rt-2'))?.value).toBe('b');
    expect((await byKey.first(db, 'prep-rt-3'))?.count).toBe(33);
  });

  it('refuses a builder that changes or drops an argument', async () => {
    const changed = prepared((d: Db, key: string) => d.selectFrom('rate_limits').select('key').where('key', '=', `x${key}`));
    await expect(changed.first(db, 'prep-1')).rejects.toThrow(/changed inside the builder/);
    const dropped = prepared((d: Db, _key: string) => d.selectFrom('rate_limits').select('key').where('key', '=', 'prep-1'));
    await expect(dropped.first(db, 'prep-1')).rejects.toThrow(/did not become parameters/);
  });
});
