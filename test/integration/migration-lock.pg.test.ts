import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { openDb, type Db } from '../../lib/db';
import { migrationProvider } from '../../lib/db/migrations';
import { createPgDatabase } from '../helpers/pg-database';

/**
 * Instances that start together on one PostgreSQL database migrate it once: Kysely's Migrator takes a
 * session-level advisory lock (pg_advisory_lock) on a connection of its own and reads what has run only
 * once it holds it, so the others wait and then find nothing to do. PostgreSQL only: on SQLite one file
 * belongs to one instance.
 */
describe('migrations under concurrent start (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  const opened: Array<Kysely<unknown>> = [];

  beforeAll(async () => {
    database = await createPgDatabase('portico_lock');
  });
  afterAll(async () => {
    for (const db of opened) await db.destroy().catch(() => undefined);
    await database?.drop();
  });

  const connect = () => {
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 3 }) }) });
    opened.push(db);
    return db;
  };

  it('three migrators at once: one runs the slow migration while the others wait on the advisory lock, and it runs once', async () => {
    // The migration marks each run in a table and holds its transaction open for a while, long enough
    // to see the other two migrators queued behind the lock.
    const runs: string[] = [];
    const slow: Migration = {
      async up(db) {
        await sql`CREATE TABLE IF NOT EXISTS lock_probe (n serial primary key)`.execute(db);
        await sql`INSERT INTO lock_probe DEFAULT VALUES`.execute(db);
        runs.push('up');
        await sql`SELECT pg_sleep(0.8)`.execute(db);
      },
    };
    const provider: MigrationProvider = { getMigrations: async () => ({ '0001_slow': slow }) };
    const migrators = [connect(), connect(), connect()].map((db) => new Migrator({ db, provider }));

    const watcher = connect();
    const waiting = (async () => {
      let most = 0;
      const until = Date.now() + 3000;
      while (Date.now() < until && runs.length === 0) await new Promise((r) => setTimeout(r, 20));
      // pg_advisory_lock shows up in pg_locks with locktype 'advisory': one granted, the rest waiting (this
      // database only: other test files migrate their own databases meanwhile).
      for (let i = 0; i < 10; i++) {
        const { rows } = await sql<{ waiting: number }>`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(watcher);
        most = Math.max(most, rows[0]!.waiting);
        await new Promise((r) => setTimeout(r, 50));
      }
      return most;
    })();

    const results = await Promise.all(migrators.map((m) => m.migrateToLatest()));
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    // One migrator ran it; the two that waited found it done.
    expect(results.map((r) => r.results?.length ?? 0).sort()).toEqual([0, 0, 1]);
    expect(runs).toEqual(['up']);
    expect(await waiting).toBe(2);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM lock_probe`.execute(watcher);
    expect(rows[0]!.n).toBe(1);
  });

  it("Portico's own migrations: three instances opening a fresh database together all start, and each migration ran once", async () => {
    const fresh = await createPgDatabase('portico_lock');
    const dbs: Db[] = [];
    try {
      const settled = await Promise.allSettled([0, 1, 2].map(() => openDb({ databaseUrl: fresh.url })));
      for (const s of settled) if (s.status === 'fulfilled') dbs.push(s.value);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const names = Object.keys(await migrationProvider.getMigrations()).sort();
      const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(dbs[0]!);
      expect(rows.map((r) => r.name)).toEqual(names);
      // Every instance works on the migrated schema.
      for (const db of dbs) expect(await db.selectFrom('pools').select('id').execute()).toEqual([]);
    } finally {
      for (const db of dbs) await db.destroy();
      await fresh.drop();
    }
  });
});
