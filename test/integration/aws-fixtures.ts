import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { vi } from 'vitest';
import pg from 'pg';
import { PG_ADMIN_URL, testDbKind, type TestPool } from '../helpers/pool-server';
import { openDb, type Db } from '../../lib/db';
import { parseSettings } from '../../lib/config/env';
import { buildHostedRuntime, type HostedRuntime } from '../../lib/hosted/runtime';
import { BASE } from './hosted-fixtures';

/**
 * The hosted front in AWS mode (PORTICO_AWS_REGION, PORTICO_AWS_POOL_IDS, credentials from the SDK's
 * default provider chain, PORTICO_POOL_ENDPOINT at the embedded engine behind its own HTTP server), with
 * a database of its own: the pool and Portico share only what a deployment shares (the secret key from
 * which the SSO key comes), as in test/integration/aws-contract.test.ts.
 */
export async function freshHostedDb(): Promise<{ db: Db; drop(): Promise<void> }> {
  if (testDbKind() === 'postgres') {
    const name = `portico_aws_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const db = await openDb({ databaseUrl: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) });
    return {
      db,
      drop: async () => {
        await db.destroy();
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-aws-'));
  const db = await openDb({ sqlitePath: path.join(dir, 'hosted.db') });
  return {
    db,
    drop: async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface AwsMode {
  rt: HostedRuntime;
  close(): Promise<void>;
}

/** An AWS-mode hosted runtime for `poolIds` of the test pool, on the test clock. */
export async function startAwsMode(t: TestPool, poolIds: string[]): Promise<AwsMode> {
  // The default provider chain finds these; nothing passes credentials to the client.
  vi.stubEnv('AWS_ACCESS_KEY_ID', t.admin.keyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', t.admin.secret);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  const hosted = await freshHostedDb();
  const settings = parseSettings({
    PORTICO_URL: BASE,
    PORTICO_DATA: '/tmp/portico-unused',
    PORTICO_AWS_REGION: 'us-east-1',
    PORTICO_AWS_POOL_IDS: poolIds.join(','),
    PORTICO_POOL_ENDPOINT: t.url,
  });
  const rt = buildHostedRuntime({
    settings,
    db: hosted.db,
    secretKey: t.secretKey,
    admin: { keyId: 'PORTICOHOSTEDONLY000', secret: randomBytes(24).toString('base64url') },
    clock: t.clock,
  });
  return {
    rt,
    async close() {
      vi.unstubAllEnvs();
      rt.cognito.destroy();
      await hosted.drop();
    },
  };
}
