import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import pg from 'pg';
import { openDb, type Db } from '../../lib/db';
import { createSecretBox } from '../../lib/crypto/secretbox';
import { ssoKeyFrom } from '../../lib/crypto/sso-key';
import { createEngine, type Engine } from '../../lib/userpool/engine';
import { createPoolHttpServer } from '../../lib/userpool/http-server';
import type { Clock } from '../../lib/userpool/context';
import type { SendLimits } from '../../lib/userpool/send-limits';

/**
 * Starts the embedded pool behind a real HTTP server on 127.0.0.1 for integration tests, on SQLite or
 * (PORTICO_TEST_DB=postgres) on a fresh PostgreSQL database, with a clock the test can move forward.
 */
export interface TestClock extends Clock {
  advance(ms: number): void;
}

export interface TestPool {
  url: string;
  engine: Engine;
  db: Db;
  clock: TestClock;
  admin: { keyId: string; secret: string };
  /** The master key the engine seals with (a hosted runtime in the same test shares it). */
  secretKey: string;
  /** SDK client with the admin credentials (signs every call). */
  adminClient(extra?: Record<string, unknown>): CognitoIdentityProviderClient;
  /** SDK client with credentials that are NOT the admin's (public operations ignore them). */
  publicClient(): CognitoIdentityProviderClient;
  close(): Promise<void>;
}

export { PG_ADMIN_URL, testDbKind } from './db-kind';
import { freshDatabase } from './fresh-db';

/**
 * Every test client calls from 127.0.0.1 and many tests send a user several codes, so test pools cap
 * sends only loosely unless a test asks for its own limits (test/integration/send-limits.test.ts).
 */
const LOOSE_LIMITS: SendLimits = { codesPerRecipientHour: 1000, codesPerIpHour: 100_000 };

export async function startTestPool(options: { limits?: SendLimits } = {}): Promise<TestPool> {
  const { db, drop } = await freshDatabase({ pgPrefix: 'portico_t', sqliteFile: 'portico.db' });
  let offset = 0;
  const clock: TestClock = {
    now: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
  };
  const admin = { keyId: 'PORTICOTESTKEY000001', secret: randomBytes(24).toString('base64url') };
  const placeholder = 'http://127.0.0.1:0';
  const secretKey = randomBytes(32).toString('base64url');
  const deps = {
    db,
    box: createSecretBox(secretKey),
    clock,
    publicUrl: placeholder,
    region: 'us-east-1',
    admin,
    triggerEnv: { PORTICO_SSO_KEY: ssoKeyFrom(secretKey).toString('base64url') },
    limits: options.limits ?? LOOSE_LIMITS,
  };
  const engine = createEngine(deps);
  const server = createPoolHttpServer(engine);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  deps.publicUrl = url;
  const clients: CognitoIdentityProviderClient[] = [];
  const make = (credentials: { accessKeyId: string; secretAccessKey: string }, extra: Record<string, unknown> = {}) => {
    const c = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1, ...extra });
    clients.push(c);
    return c;
  };
  return {
    url,
    engine,
    db,
    clock,
    admin,
    secretKey,
    adminClient: (extra) => make({ accessKeyId: admin.keyId, secretAccessKey: admin.secret }, extra),
    publicClient: () => make({ accessKeyId: 'PUBLICCALLER00000000', secretAccessKey: 'not-the-admin-secret' }),
    async close() {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await drop();
    },
  };
}
