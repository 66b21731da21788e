import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { migrationProvider } from '../../lib/db/migrations';
import { startNextServer, waitFor, type NextServer } from '../helpers/next-server';

/**
 * PORTICO_PROCESSES=3 on a fresh data directory (issue 6). Kysely takes no migration lock on SQLite, so
 * three workers migrating one new file together would each try to create the same tables and all but
 * one would die before serving; the supervisor therefore migrates the SQLite file once before it forks
 * (lib/server/cluster.ts). On PostgreSQL the workers migrate under the advisory lock as before. Either
 * way the instance comes up healthy on every worker with the whole schema. The same built server also
 * shows the admin key-rotation route (app/admin/keys/rotate) wired up: in embedded mode it answers 400.
 */
let server: NextServer;

beforeAll(async () => {
  server = await startNextServer({ env: { PORTICO_DEMO: 'off', PORTICO_PROCESSES: '3' } });
  await waitFor(() => (server.output().includes('Portico: 3 processes serving') ? true : undefined), 60_000, 'three processes');
}, 120_000);
afterAll(async () => server?.close());

async function migrationsRun(): Promise<string[]> {
  if (server.databaseUrl) {
    const c = new pg.Client({ connectionString: server.databaseUrl });
    await c.connect();
    try {
      return (await c.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')).rows.map((r) => r.name);
    } finally {
      await c.end();
    }
  }
  const db = new Sqlite(path.join(server.dataDir, 'portico.db'), { readonly: true });
  try {
    return (db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>).map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('three processes on a fresh database', () => {
  it('all three serve, the schema is complete, and on SQLite the supervisor migrated it before forking', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(server.output()).not.toMatch(/exited before serving|migration .* failed/);
    expect(await migrationsRun()).toEqual(Object.keys(await migrationProvider.getMigrations()).sort());
    if (!server.databaseUrl) {
      const out = server.output();
      const migrated = out.indexOf('Portico: SQLite database migrated before starting the processes');
      expect(migrated).toBeGreaterThanOrEqual(0);
      expect(migrated).toBeLessThan(out.indexOf('Portico: 3 processes serving'));
    }
  });

  it('POST /admin/keys/rotate: admin credentials required; in embedded mode a JSON 400 saying rotation is for AWS mode', async () => {
    const anonymous = await fetch(`${server.url}/admin/keys/rotate`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const res = await fetch(`${server.url}/admin/keys/rotate`, { method: 'POST', headers: { authorization: server.basicAuth() } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('unsupported_in_embedded_mode');
    expect(body.error_description).toMatch(/AWS mode/);
  });
});
