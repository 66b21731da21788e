import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCreateUserCommand, CreateUserPoolCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { freePort, runStartScript, startNextServer, waitFor, type NextServer } from '../helpers/next-server';

/**
 * PORTICO_PROCESSES=2 (lib/server/cluster.ts): two workers share the port and the database — on SQLite,
 * one WAL file written from two processes — and the supervisor stops cleanly on SIGTERM.
 */
let server: NextServer;

beforeAll(async () => {
  server = await startNextServer({ env: { PORTICO_DEMO: 'off', PORTICO_PROCESSES: '2' } });
  await waitFor(() => (server.output().includes('Portico: 2 processes serving') ? true : undefined), 60_000, 'both processes');
}, 120_000);
afterAll(async () => server?.close());

describe('several processes', () => {
  it('writes from both workers at once all land', async () => {
    const admin = server.adminClient();
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'cluster' }))).UserPool!.Id!;
    // Separate connections are spread over the workers; each AdminCreateUser is a write transaction.
    const names = Array.from({ length: 24 }, (_, i) => `cluster-user-${i}`);
    await Promise.all(names.map((Username) => admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, MessageAction: 'SUPPRESS' }))));
    const listed = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60 }));
    expect(listed.Users!.map((u) => u.Username).sort()).toEqual([...names].sort());
  });

  it('SIGTERM stops every process and the supervisor exits 0', async () => {
    const ended = await server.stop('SIGTERM');
    expect(ended).toEqual({ code: 0, signal: null });
    await server.restart();
  }, 60_000);
});

describe('PORTICO_PROCESSES validation', () => {
  it('a bad value stops the start with a message naming the setting', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-processes-'));
    try {
      const { code, output } = await runStartScript({ PORT: String(await freePort()), PORTICO_DATA: dataDir, PORTICO_DEMO: 'off', PORTICO_PROCESSES: 'two' }, 60_000);
      expect(code).toBe(1);
      expect(output).toMatch(/PORTICO_PROCESSES: /);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
