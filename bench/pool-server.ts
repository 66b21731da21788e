/**
 * A standalone embedded pool for benchmarks: fresh SQLite (or DATABASE_URL) in a temp directory,
 * the engine behind node:http on 127.0.0.1. Prints one JSON line {url, admin} when ready, and answers
 * a line "cpu" on stdin with its process.cpuUsage() (every thread) and its main thread's CPU, so the
 * bench can attribute server CPU per sign-in.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { openDb } from '../lib/db';
import { createSecretBox } from '../lib/crypto/secretbox';
import { createEngine } from '../lib/userpool/engine';
import { createPoolHttpServer } from '../lib/userpool/http-server';
import { systemClock } from '../lib/userpool/context';
import { threadCpuMs } from './lib';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-bench-'));
const db = await openDb({ databaseUrl: process.env.DATABASE_URL, sqlitePath: path.join(dir, 'portico.db') });
const admin = { keyId: 'PORTICOBENCHKEY00001', secret: randomBytes(24).toString('base64url') };
const deps = { db, box: createSecretBox(randomBytes(32).toString('base64url')), clock: systemClock, publicUrl: 'http://127.0.0.1:0', region: 'us-east-1', admin };
const engine = createEngine(deps);
const server = createPoolHttpServer(engine);
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
deps.publicUrl = url;
process.stdout.write(`${JSON.stringify({ url, admin })}\n`);
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line.trim() === 'cpu') process.stdout.write(`${JSON.stringify({ cpu: process.cpuUsage(), mainMs: threadCpuMs(), rss: process.memoryUsage().rss })}\n`);
});
rl.on('close', () => {
  server.close();
  void db.destroy().finally(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
