import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import pg from 'pg';
import { PG_ADMIN_URL, startTestPool, testDbKind, type TestPool } from '../helpers/pool-server';
import { PASSWORD, expectError, makeClient, makePool, makeUser, srpSignIn } from './auth-fixtures';
import { openDb, type Db } from '../../lib/db';
import { createSecretBox } from '../../lib/crypto/secretbox';
import { recordFailure } from '../../lib/userpool/lockout';
import type { EngineDeps } from '../../lib/userpool/context';

/** Cognito's sign-in back-off (reference §3.4), through the API and on the store directly. */
let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
const WRONG = 'Wrong-Passw0rd!';
const EXCEEDED = 'Password attempts exceeded';

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t, { MfaConfiguration: 'OFF' });
  ({ clientId } = await makeClient(t, poolId));
});
afterAll(async () => t?.close());

const signIn = (username: string, password: string) =>
  pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: password } }));

async function fail(username: string, times: number, type = 'NotAuthorizedException', message = 'Incorrect username or password.') {
  for (let i = 0; i < times; i++) await expectError(signIn(username, WRONG), type, message);
}

describe('lockout', () => {
  it('locks after five failures, even for the right password, without extending, then releases', async () => {
    await makeUser(t, poolId, 'lena');
    await fail('lena', 5);
    await expectError(signIn('lena', PASSWORD), 'NotAuthorizedException', EXCEEDED);
    await expectError(srpSignIn(pub, { poolId, clientId, username: 'lena', password: PASSWORD }), 'NotAuthorizedException', EXCEEDED);
    t.clock.advance(600);
    await expectError(signIn('lena', PASSWORD), 'NotAuthorizedException', EXCEEDED);
    t.clock.advance(500);
    expect((await signIn('lena', PASSWORD)).AuthenticationResult).toBeDefined();
    // The success cleared the count: four more failures do not lock.
    await fail('lena', 4);
    expect((await signIn('lena', PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('doubles the wait with each further failure', async () => {
    await makeUser(t, poolId, 'dave');
    await fail('dave', 5);
    t.clock.advance(1100);
    await fail('dave', 1); // 6th: now 2 s
    await expectError(signIn('dave', PASSWORD), 'NotAuthorizedException', EXCEEDED);
    t.clock.advance(1500);
    await expectError(signIn('dave', PASSWORD), 'NotAuthorizedException', EXCEEDED);
    t.clock.advance(600);
    await fail('dave', 1); // 7th: now 4 s
    t.clock.advance(3000);
    await expectError(signIn('dave', PASSWORD), 'NotAuthorizedException', EXCEEDED);
    t.clock.advance(1100);
    expect((await signIn('dave', PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('locks names that do not exist too', async () => {
    await fail('ghost', 5, 'UserNotFoundException', 'User does not exist.');
    await expectError(signIn('ghost', WRONG), 'NotAuthorizedException', EXCEEDED);
  });

  it('forgets failures after 15 minutes without attempts', async () => {
    await makeUser(t, poolId, 'fred');
    await fail('fred', 4);
    t.clock.advance(16 * 60_000);
    await fail('fred', 4);
    expect((await signIn('fred', PASSWORD)).AuthenticationResult).toBeDefined();
  });
});

describe('lockout store with two processes on one database', () => {
  let dbs: Db[] = [];
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    if (testDbKind() === 'postgres') {
      const name = `portico_lock_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
      dbs = [await openDb({ databaseUrl: url }), await openDb({ databaseUrl: url })];
      cleanup = async () => {
        for (const db of dbs) await db.destroy();
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      };
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-lock-'));
      const file = path.join(dir, 'portico.db');
      dbs = [await openDb({ sqlitePath: file }), await openDb({ sqlitePath: file })];
      cleanup = async () => {
        for (const db of dbs) await db.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      };
    }
  });
  afterAll(async () => cleanup());

  it('counts every concurrent failure exactly once and stops counting once locked', async () => {
    const now = 1_800_000_000_000;
    const box = createSecretBox('lockout-test');
    const deps = dbs.map((db) => ({ db, box, clock: { now: () => now } }) as unknown as EngineDeps);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => recordFailure(deps[i % 2]!, 'us-east-1_Lock', 'victim')));
    const counted = results.filter((r): r is number => r !== undefined).sort((a, b) => a - b);
    expect(counted).toEqual([1, 2, 3, 4, 5]);
    const row = await dbs[0]!.selectFrom('lockouts').selectAll().where('user_key', '=', 'victim').executeTakeFirstOrThrow();
    expect(Number(row.failures)).toBe(5);
    expect(Number(row.locked_until)).toBe(now + 1000);
  });
});
