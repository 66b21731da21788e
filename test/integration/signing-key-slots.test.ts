import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from '../../lib/db';
import { migrationProvider } from '../../lib/db/migrations';
import { testDbKind } from '../helpers/db-kind';
import { createPgDatabase } from '../helpers/pg-database';

/**
 * Migration 0208_signing_key_slots on SQLite and PostgreSQL: a database where instances already raced
 * (two active keys for one owner and use) keeps the newest active and retires the others as of the
 * moment it was created — still listed, so their tokens verify — and from then on a second active key
 * for the same slot cannot be stored; an insert that does nothing on conflict leaves the first.
 */
let db: Kysely<Database>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (testDbKind() === 'postgres') {
    const database = await createPgDatabase('portico_slots');
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
    cleanup = async () => {
      await db.destroy();
      await database.drop();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-slots-'));
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(path.join(dir, 'portico.db')) }) });
    cleanup = async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
});
afterAll(async () => cleanup?.());

const key = (kid: string, pool_id: string, key_use: string, created_at: number, retired_at: number | null = null) => ({
  kid,
  pool_id,
  key_use,
  private_enc: 'sealed',
  public_jwk: JSON.stringify({ kid }),
  created_at,
  retired_at,
});

describe('migration 0208_signing_key_slots', () => {
  it('retires all but the newest active key of each owner and use, as of when the newest was made', async () => {
    const migrator = new Migrator({ db, provider: migrationProvider });
    const before = await migrator.migrateTo('0207_pool_settings');
    expect(before.error).toBeUndefined();
    await db
      .insertInto('signing_keys')
      .values([
        key('id-old', 'us-east-1_Pool1', 'id', 1000),
        key('id-new', 'us-east-1_Pool1', 'id', 2000),
        key('access-only', 'us-east-1_Pool1', 'access', 1500),
        key('id-long-retired', 'us-east-1_Pool1', 'id', 500, 600),
        key('portico-a', '@portico', 'oidc-id', 1000),
        key('portico-b', '@portico', 'oidc-id', 3000),
        key('portico-c', '@portico', 'oidc-id', 3000),
      ])
      .execute();

    const after = await migrator.migrateToLatest();
    expect(after.error).toBeUndefined();
    const rows = await db.selectFrom('signing_keys').select(['kid', 'retired_at']).orderBy('kid').execute();
    const retired = Object.fromEntries(rows.map((r) => [r.kid, r.retired_at === null ? null : Number(r.retired_at)]));
    expect(retired).toEqual({
      'id-old': 2000,
      'id-new': null,
      'access-only': null,
      'id-long-retired': 600,
      'portico-a': 3000,
      // Two made in the same millisecond: the higher kid stays, as the newest-first order with kid ties.
      'portico-b': 3000,
      'portico-c': null,
    });
  });

  it('a second active key for a slot is refused; ON CONFLICT DO NOTHING keeps the first; retired keys do not count', async () => {
    await expect(db.insertInto('signing_keys').values(key('id-dup', 'us-east-1_Pool1', 'id', 4000)).execute()).rejects.toThrow();
    await db.insertInto('signing_keys').values(key('id-dup', 'us-east-1_Pool1', 'id', 4000)).onConflict((oc) => oc.doNothing()).execute();
    const active = await db.selectFrom('signing_keys').select('kid').where('pool_id', '=', 'us-east-1_Pool1').where('key_use', '=', 'id').where('retired_at', 'is', null).execute();
    expect(active.map((r) => r.kid)).toEqual(['id-new']);
    await db.insertInto('signing_keys').values(key('id-retired-too', 'us-east-1_Pool1', 'id', 4000, 4000)).execute();
    // Another pool's slot is its own.
    await db.insertInto('signing_keys').values(key('id-other-pool', 'us-east-1_Pool2', 'id', 4000)).execute();
  });
});
