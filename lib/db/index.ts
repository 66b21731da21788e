import fs from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema';
import { migrationProvider } from './migrations';
import { attachSqliteHandle, type SqliteHandle } from './sqlite-direct';
import { SAFETY_NET_PAGES, startWalCheckpointer } from './wal-checkpointer';
import { newConfigCache } from './config-cache';
import { prepared } from './prepared';

export type Db = Kysely<Database>;
export type { Database } from './schema';

export interface DbOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite at sqlitePath. */
  databaseUrl?: string;
  sqlitePath?: string;
  /**
   * SQLite: checkpoint the WAL on a thread of its own (./wal-checkpointer.ts) instead of in whichever
   * commit finds the log full. For the server's one long-lived connection; `onCheckpointerFailure` hears
   * when the thread fails, after the connection has gone back to checkpointing for itself.
   */
  backgroundCheckpoint?: boolean;
  onCheckpointerFailure?: (error: Error) => void;
}

/**
 * Pages in the WAL before a commit checkpoints it (SQLite's default is 1,000). A sign-in writes about 30
 * pages (bench/in-process.ts --frames), so the default checkpointed every 33 sign-ins: ~4 a second under
 * load, each copying the log's pages to the database and waiting for two fsyncs and a third when the log
 * starts over, on the main thread. Many of those pages are the same few (index ends, the transaction
 * tables, the header), so a longer log copies each once for many sign-ins. Paired runs of the flow at 16
 * (bench/phase-ab.ts --two, both orders): 5,000 took the main thread's CPU per sign-in from 6.04 to 5.61 ms
 * and from 6.12 to 5.75 (−6 to −7 %), all threads −3 to −5 %, 7–8 % more sign-ins/s, p99 195 against 232
 * and 228 against 262 ms; 10,000 gained nothing more (5.06 against 5.11 ms) and paused more often. The log
 * then peaks near 20 MB and is reused, not regrown. The server's connection checkpoints on a thread of
 * its own instead (backgroundCheckpoint, ./wal-checkpointer.ts); this is the setting of every other
 * connection, and the server's again should that thread fail.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 5000;

async function sqliteDialect(file: string, options: DbOptions): Promise<{ dialect: SqliteDialect; handle: SqliteHandle }> {
  const { default: Sqlite } = await import('better-sqlite3');
  fs.mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
  const database = new Sqlite(/*turbopackIgnore: true*/ file);
  // WAL keeps readers off the writer's back; NORMAL sync survives a killed process (the OS keeps the log).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  if (options.backgroundCheckpoint) {
    database.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
    const checkpointer = startWalCheckpointer(file, {
      onFailure: (error) => {
        if (database.open) database.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
        options.onCheckpointerFailure?.(error);
      },
    });
    const close = database.close.bind(database);
    database.close = () => {
      void checkpointer.stop();
      return close();
    };
  }
  // Kysely prepares every query anew; the statements are few and fixed, so keep them. better-sqlite3 is
  // synchronous and Kysely runs one query at a time per connection, so a statement is never shared mid-use.
  const prepare = database.prepare.bind(database);
  const statements = new Map<string, ReturnType<typeof prepare>>();
  database.prepare = ((sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      if (statements.size < 2000) statements.set(sql, stmt);
    }
    return stmt;
  }) as typeof database.prepare;
  return { dialect: new SqliteDialect({ database }), handle: database as unknown as SqliteHandle };
}

async function postgresDialect(url: string): Promise<PostgresDialect> {
  const pg = await import('pg');
  const types = pg.default.types;
  // int8 comes back as a string by default; every bigint here is an epoch-ms time or a small count.
  types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.default.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 30_000 });
  // A dropped connection must not crash the process; the next query gets a fresh one.
  pool.on('error', () => undefined);
  return new PostgresDialect({ pool });
}

const versionRow = prepared((db: Db) => db.selectFrom('config_version').select('n').where('id', '=', 1));
const configVersion = async (db: Db): Promise<number> => Number((await versionRow.first(db))?.n ?? 0);

export async function openDb(options: DbOptions): Promise<Db> {
  // The one plugin only watches for writes: lib/db/prepared.ts runs SQLite statements on the handle
  // without Kysely's result transforms, so no plugin may change results.
  const cache = newConfigCache(configVersion);
  let db: Db;
  if (options.databaseUrl) {
    db = new Kysely<Database>({ dialect: await postgresDialect(options.databaseUrl), plugins: [cache.plugin] });
  } else {
    const { dialect, handle } = await sqliteDialect(options.sqlitePath ?? path.resolve('data', 'portico.db'), options);
    db = new Kysely<Database>({ dialect, plugins: [cache.plugin] });
    attachSqliteHandle(db, handle);
  }
  await migrate(db);
  cache.attach(db);
  return db;
}

/**
 * Instances starting together on one PostgreSQL database do not race: Kysely's migrator holds a session
 * advisory lock while it reads what has run and migrates, so the others wait and find nothing to do
 * (test/integration/migration-lock.test.ts).
 */
export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

export { isPostgresDb as isPostgres } from './dialect';
