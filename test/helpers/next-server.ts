import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import pg from 'pg';
import { ensureBuild, root, serverEntry } from '../../scripts/build-state.mjs';
import { serverNodeArgs } from '../../scripts/server-args.mjs';
import { PG_ADMIN_URL, testDbKind } from './db-kind';

/**
 * Starts the BUILT Portico (its own server, server.ts, with Next inside) as a child process on a free
 * port with its own data directory and explicit admin credentials — the whole product as a user runs
 * it, for tests of the runtime contract. SQLite in the data directory by default; a fresh PostgreSQL
 * database when PORTICO_TEST_DB=postgres. Builds first only when the build is older than the sources.
 */
export interface NextServer {
  url: string;
  port: number;
  dataDir: string;
  /** The PostgreSQL database (PORTICO_TEST_DB=postgres); unset: SQLite at `{dataDir}/portico.db`. */
  databaseUrl?: string;
  admin: { keyId: string; secret: string };
  /** Everything the server printed so far (stdout and stderr), across restarts. */
  output(): string;
  adminClient(): CognitoIdentityProviderClient;
  publicClient(): CognitoIdentityProviderClient;
  basicAuth(): string;
  /** SIGKILL: no shutdown hooks, as a crash or a power cut. */
  kill(): Promise<void>;
  /** Sends a signal (SIGTERM: a graceful stop) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts the server again on the same port, data directory and database. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface NextServerOptions {
  /** Extra environment (e.g. PORTICO_DEMO: 'off'). */
  env?: Record<string, string>;
  /** Omit PORTICO_ADMIN_KEY_ID/SECRET so the server generates admin.json. */
  generatedAdmin?: boolean;
  /** The server's working directory; the project by default (as `npm start` runs it). */
  cwd?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The environment a child Portico gets: none of the caller's PORTICO_ settings or DATABASE_URL leak in. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('PORTICO_') || k === 'DATABASE_URL' || k === 'PORT' || k.startsWith('VITEST') || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...extra } as NodeJS.ProcessEnv;
}

async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `portico_n_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function startNextServer(options: NextServerOptions = {}): Promise<NextServer> {
  await ensureBuild({ stdio: 'quiet' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-next-'));
  const admin = { keyId: `PORTICOTEST${randomBytes(5).toString('hex').toUpperCase()}`, secret: randomBytes(24).toString('base64url') };
  const database = testDbKind() === 'postgres' ? await createPgDatabase() : undefined;
  const env = cleanEnv({
    PORT: String(port),
    PORTICO_URL: url,
    PORTICO_DATA: dataDir,
    ...(options.generatedAdmin ? {} : { PORTICO_ADMIN_KEY_ID: admin.keyId, PORTICO_ADMIN_SECRET: admin.secret }),
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });

  let log = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let ending: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
  const clients: CognitoIdentityProviderClient[] = [];

  const launch = async () => {
    // Started as `npm start` starts it (the heap limit included), so the suite runs what ships.
    const proc = spawn(process.execPath, [...serverNodeArgs(env), serverEntry(root)], {
      cwd: options.cwd ?? root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let gone = false;
    exited = new Promise((resolve) => proc.on('exit', (code, signal) => {
      gone = true;
      ending = { code, signal };
      resolve();
    }));
    proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor(
      async () => {
        if (gone) throw new Error(`the server exited before it was healthy:\n${log}`);
        try {
          const res = await fetch(`${url}/healthz`);
          return res.ok ? true : undefined;
        } catch {
          return undefined;
        }
      },
      60_000,
      `${url}/healthz`,
    );
  };
  await launch();

  const make = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
    const c = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  const kill = async () => {
    child?.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    port,
    dataDir,
    ...(database ? { databaseUrl: database.url } : {}),
    admin,
    output: () => log,
    adminClient: () => make({ accessKeyId: admin.keyId, secretAccessKey: admin.secret }),
    publicClient: () => make({ accessKeyId: 'PUBLICCALLER00000000', secretAccessKey: 'not-the-admin-secret' }),
    basicAuth: () => `Basic ${Buffer.from(`${admin.keyId}:${admin.secret}`).toString('base64')}`,
    kill,
    stop: async (signal = 'SIGTERM') => {
      child?.kill(signal);
      await exited;
      return ending;
    },
    restart: async () => {
      await kill();
      await launch();
    },
    async close() {
      for (const c of clients) c.destroy();
      child?.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `npm start`'s script with the given environment and collects what it prints. */
export function runStartScript(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`start.mjs did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
