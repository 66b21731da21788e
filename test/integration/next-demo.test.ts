import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { createEngine } from '../../lib/userpool/engine';
import { ensureDemo, demoPassword, DEMO_POOL_NAME } from '../../lib/demo/bootstrap';

/**
 * The first-start demo (lib/demo/bootstrap.ts) against a real engine: complete, idempotent, safe when
 * two starts race, resumable after an interrupted run.
 */
let pool: TestPool;
let dirs: string[] = [];

function dataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-demo-'));
  dirs.push(d);
  return d;
}

function options(dir = dataDir()) {
  return { engine: pool.engine, dataDir: dir, publicUrl: pool.url, region: 'us-east-1' };
}

async function demoPools(): Promise<string[]> {
  const list = await pool.adminClient().send(new ListUserPoolsCommand({ MaxResults: 60 }));
  return (list.UserPools ?? []).filter((p) => p.Name === DEMO_POOL_NAME).map((p) => p.Id!);
}

beforeEach(async () => {
  pool = await startTestPool();
});
afterEach(async () => {
  await pool.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('demo bootstrap', () => {
  it('creates a complete demo: pool, confidential client and a confirmed user who can sign in', async () => {
    const result = await ensureDemo(options());
    expect(result.created).toBe(true);
    const d = result.details;
    expect(fs.statSync(result.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(result.file, 'utf8'))).toEqual(d);

    const admin = pool.adminClient();
    const described = await admin.send(new DescribeUserPoolCommand({ UserPoolId: d.poolId }));
    expect(described.UserPool).toMatchObject({
      Name: 'Portico demo',
      AliasAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
    });
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: d.poolId, Username: 'demo' }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'demo@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ]),
    );

    for (const username of ['demo', 'demo@example.com']) {
      const auth = await pool.publicClient().send(
        new InitiateAuthCommand({
          ClientId: d.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: {
            USERNAME: username,
            PASSWORD: d.password,
            SECRET_HASH: createHmac('sha256', d.clientSecret).update(`${username}${d.clientId}`).digest('base64'),
          },
        }),
      );
      expect(auth.AuthenticationResult?.AccessToken, username).toBeTruthy();
    }
  });

  it('writes generated admin credentials into demo.json only', async () => {
    const admin = { keyId: 'PORTICOADMIN00000001', secret: 'generated-secret-value' };
    const result = await ensureDemo({ ...options(), admin });
    expect(JSON.parse(fs.readFileSync(result.file, 'utf8'))).toEqual({ ...result.details, adminKeyId: admin.keyId, adminSecret: admin.secret });
    expect(result.details).not.toHaveProperty('adminKeyId');
    // Read back from the file, the details are the demo's alone.
    const again = await ensureDemo({ ...options(path.dirname(result.file)), admin });
    expect(again.details).toEqual(result.details);
  });

  it('creates one demo when two starts race, and both data directories describe it', async () => {
    const [a, b] = await Promise.all([ensureDemo(options()), ensureDemo({ ...options(), engine: createEngine(pool.engine.deps) })]);
    expect(a.details).toEqual(b.details);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await demoPools()).toEqual([a.details.poolId]);
    expect(JSON.parse(fs.readFileSync(b.file, 'utf8'))).toEqual(a.details);
  });

  it('finds the finished demo again instead of creating another (new data dir, same database)', async () => {
    const first = await ensureDemo(options());
    const again = await ensureDemo(options());
    expect(again.created).toBe(false);
    expect(again.details).toEqual(first.details);
    // Same data dir: demo.json is read as is.
    const same = await ensureDemo(options(path.dirname(first.file)));
    expect(same.details).toEqual(first.details);
    expect(await demoPools()).toHaveLength(1);
  });

  it('resumes an interrupted run and takes over a lock whose holder died', async () => {
    const leftover = await pool.adminClient().send(new CreateUserPoolCommand({ PoolName: DEMO_POOL_NAME, AliasAttributes: ['email'] }));
    await pool.db
      .insertInto('kv')
      .values({ key: 'demo:lock', value: JSON.stringify({ owner: 'dead-process', expires: Date.now() - 1000 }) })
      .execute();
    const result = await ensureDemo(options());
    expect(result.details.poolId).toBe(leftover.UserPool!.Id);
    expect(await demoPools()).toEqual([leftover.UserPool!.Id]);
    const lock = await pool.db.selectFrom('kv').select('key').where('key', '=', 'demo:lock').executeTakeFirst();
    expect(lock).toBeUndefined();
  });

  it('waits for a live lock holder and gives up after the wait', async () => {
    await pool.db
      .insertInto('kv')
      .values({ key: 'demo:lock', value: JSON.stringify({ owner: 'busy-process', expires: Date.now() + 60_000 }) })
      .execute();
    await expect(ensureDemo({ ...options(), waitMs: 300 })).rejects.toThrow(/another process/);
    expect(await demoPools()).toHaveLength(0);
  });
});

describe('demoPassword', () => {
  it('has 20 characters with upper, lower, digit and symbol, and differs each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = demoPassword();
      expect(p).toHaveLength(20);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});
