import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../lib/db';
import { PG_ADMIN_URL, testDbKind } from './db-kind';

/**
 * A migrated, empty database of the suite's kind: a new PostgreSQL database (PORTICO_TEST_DB=postgres)
 * or a SQLite file in a temporary directory; `another` opens a second handle on it, as another process
 * would (the caller closes it); `drop` closes the first and removes the database.
 */
export async function freshDatabase(o: { pgPrefix: string; sqliteFile: string }): Promise<{ db: Db; another: () => Promise<Db>; drop: () => Promise<void> }> {
  if (testDbKind() === 'postgres') {
    const name = `${o.pgPrefix}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const databaseUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
    const db = await openDb({ databaseUrl });
    return {
      db,
      another: () => openDb({ databaseUrl }),
      drop: async () => {
        await db.destroy();
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-test-'));
  const sqlitePath = path.join(dir, o.sqliteFile);
  const db = await openDb({ sqlitePath });
  return {
    db,
    another: () => openDb({ sqlitePath }),
    drop: async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
