import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_ADMIN_URL } from './db-kind';

/** A fresh, empty PostgreSQL database on the test server (PORTICO_TEST_PG_URL), dropped by `drop`. */
export async function createPgDatabase(prefix = 'portico_m'): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        // A pool that was just destroyed may still be closing its sockets; terminating them under it
        // (FORCE) raises an error no one listens to any more. Wait for them to go, then force what is left.
        for (let i = 0; i < 60; i++) {
          const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0]!.n === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
