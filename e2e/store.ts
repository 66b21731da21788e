import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { e2eDataDir } from './fixtures';

/**
 * Writes straight into the e2e server's store, for states the API cannot make (e.g. a user imported
 * without a required attribute): PostgreSQL when the run gives the server E2E_DATABASE_URL (scripts/test.mjs
 * does), otherwise the SQLite file in its data directory. `?` placeholders on both.
 */
export async function executeInStore(statement: string, params: unknown[]): Promise<void> {
  const url = process.env.E2E_DATABASE_URL;
  if (url) {
    let n = 0;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement.replace(/\?/g, () => `$${++n}`), params);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(path.join(e2eDataDir(), 'portico.db'), { timeout: 5000 });
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}
