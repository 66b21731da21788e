/**
 * The hosted sign-in flow in-process, without HTTP: authorize → login page → form POST (SRP both sides) →
 * token, through the same lib handlers the server's fast path calls, on a test pool (SQLite in a temp
 * directory, or PostgreSQL with PORTICO_TEST_DB=postgres). CPU per step and in total, every thread of this
 * process (steps run one at a time, so a step's crypto-thread work falls within it), and the main thread's
 * share from /proc on Linux; the handlers' own cost can be profiled from source (`--cpu-prof`) without a
 * build. Not a test.
 * `--frames` counts the WAL frames (pages written to SQLite's log) each writing statement adds: every
 * thousand of them cost a checkpoint and its fsyncs.
 *   node --import tsx bench/in-process.ts [--n 400] [--sql] [--ops] [--frames]
 */
import { createHash, randomBytes } from 'node:crypto';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CALLBACK, PASSWORD, createBenchPool } from './portico';
import { startTestPool } from '../test/helpers/pool-server';
import { hostedRuntimeFor } from '../test/helpers/hosted-runtime';
import { handleAuthorize } from '../lib/hosted/authorize';
import { handleLoginPage } from '../lib/hosted/login-page';
import { handleSignIn } from '../lib/hosted/signin';
import { handleToken } from '../lib/oauth/token';
import type { HttpIn, HttpOut } from '../lib/hosted/http';
import { percentile } from './lib';
import fs from 'node:fs';
import { newNonce } from '../lib/security/headers';
import { NONCE_HEADER } from '../lib/security/markers';

const argv = process.argv.slice(2);
const N = Number(argv[argv.indexOf('--n') + 1] || 400) || 400;

// --sql: time every SQLite statement (by its text) to see which queries a flow pays for.
const sqlTimes = new Map<string, { n: number; ms: number }>();
if (argv.includes('--sql')) {
  const { default: Sqlite } = await import('better-sqlite3');
  const proto = Object.getPrototypeOf(new Sqlite(':memory:').prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
  for (const method of ['get', 'all', 'run'] as const) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const e = sqlTimes.get(this.source) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += performance.now() - t0;
        sqlTimes.set(this.source, e);
      }
    };
  }
}
// --frames: WAL frames per writing statement, from the log's frame count in the wal-index header (the
// -shm file: mxFrame, a native-endian u32 at byte 16), read before and after the statement.
const frameCounts = new Map<string, { n: number; frames: number }>();
if (argv.includes('--frames')) {
  const { default: Sqlite } = await import('better-sqlite3');
  const proto = Object.getPrototypeOf(new Sqlite(':memory:').prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
  const header = Buffer.alloc(4);
  const shm = new Map<string, number>();
  const mxFrame = (file: string): number => {
    let fd = shm.get(file);
    if (fd === undefined) {
      // Before the database is in WAL mode (its first pragmas) there is no log.
      if (!fs.existsSync(`${file}-shm`)) return 0;
      shm.set(file, (fd = fs.openSync(`${file}-shm`, 'r')));
    }
    fs.readSync(fd, header, 0, 4, 16);
    return header.readUInt32LE(0);
  };
  const countFrames = (label: string, before: number, after: number): void => {
    const e = frameCounts.get(label) ?? { n: 0, frames: 0 };
    e.n++;
    // A checkpoint that restarted the log in between leaves `after` counting from zero.
    e.frames += after >= before ? after - before : after;
    frameCounts.set(label, e);
  };
  // writeAll's statements run inside BEGIN … COMMIT (exec): their pages reach the log at the COMMIT.
  const database = Sqlite.prototype as unknown as { exec: (this: { name: string }, sqlText: string) => unknown };
  const exec = database.exec;
  database.exec = function (this: { name: string }, sqlText: string) {
    if (sqlText !== 'COMMIT') return exec.call(this, sqlText);
    const before = mxFrame(this.name);
    try {
      return exec.call(this, sqlText);
    } finally {
      countFrames('COMMIT (a writeAll batch)', before, mxFrame(this.name));
    }
  };
  for (const method of ['get', 'all', 'run'] as const) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string; readonly: boolean; database: { name: string } }, ...args: unknown[]) {
      if (this.readonly || this.database.name === ':memory:') return original.apply(this, args);
      const before = mxFrame(this.database.name);
      try {
        return original.apply(this, args);
      } finally {
        countFrames(this.source, before, mxFrame(this.database.name));
      }
    };
  }
}
// --ops: count the SDK's calls to the engine per flow, by operation (the x-amz-target header).
const opCounts = new Map<string, number>();
if (argv.includes('--ops')) {
  const { InProcessHandler } = await import('../lib/pool-client/transport');
  const original = InProcessHandler.prototype.handle;
  InProcessHandler.prototype.handle = function (this: InstanceType<typeof InProcessHandler>, request, options) {
    const op = String(request.headers['x-amz-target'] ?? '?').split('.').pop()!;
    opCounts.set(op, (opCounts.get(op) ?? 0) + 1);
    return original.call(this, request, options);
  };
}
const t = await startTestPool();
const rt = hostedRuntimeFor(t);
const admin = t.adminClient();
const { poolId, clientId, basic } = await createBenchPool(admin);
await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bench-user', MessageAction: 'SUPPRESS' }));
await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'bench-user', Password: PASSWORD, Permanent: true }));

const BASE = t.url;
function req(method: string, pathAndQuery: string, o: { form?: Record<string, string>; cookies?: Record<string, string>; headers?: Record<string, string> } = {}): HttpIn {
  const headers = new Headers({ 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'same-origin', ...o.headers });
  // As the server's front door does (lib/server/fast-path.ts): every hosted page gets a CSP nonce.
  headers.set(NONCE_HEADER, newNonce());
  if (o.form) headers.set('content-type', 'application/x-www-form-urlencoded');
  return { method, url: new URL(pathAndQuery, `${BASE}/`), headers, body: o.form ? new URLSearchParams(o.form).toString() : '', cookies: { ...o.cookies } };
}
function cookiesOf(out: HttpOut, jar: Record<string, string>): void {
  for (const c of out.cookies ?? []) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    jar[pair!.slice(0, i)] = pair!.slice(i + 1);
  }
}

type Step = 'authorize' | 'page' | 'post' | 'token';
const cpu: Record<Step, number> = { authorize: 0, page: 0, post: 0, token: 0 };
const wall: Record<Step, number[]> = { authorize: [], page: [], post: [], token: [] };
async function step<T>(name: Step, fn: () => Promise<T>): Promise<T> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  wall[name].push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu[name] += (c.user + c.system) / 1000;
  return out;
}

async function flow(): Promise<void> {
  const jar: Record<string, string> = {};
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const started = await step('authorize', () => handleAuthorize(rt, req('GET', `/oauth2/authorize?${query}`, { headers: { 'sec-fetch-site': 'cross-site' } })));
  cookiesOf(started, jar);
  const loginPath = started.headers['location']!;
  const page = await step('page', () => handleLoginPage(rt, req('GET', loginPath, { cookies: jar }), { stylesheets: [] }));
  const action = /<form[^>]*action="([^"]+)" method="post"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!action || !csrf) throw new Error(`page ${page.status}`);
  const posted = await step('post', () => handleSignIn(rt, req('POST', action, { cookies: jar, form: { csrf, username: 'bench-user', password: PASSWORD }, headers: { origin: BASE } })));
  const code = new URL(posted.headers['location'] ?? 'x:', BASE).searchParams.get('code');
  if (!code) throw new Error(`post ${posted.status} ${posted.headers['location']}`);
  const tokens = await step('token', () =>
    handleToken(rt, req('POST', '/oauth2/token', { form: { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier }, headers: { authorization: basic } })),
  );
  if (tokens.status !== 200) throw new Error(`token ${tokens.status} ${tokens.body}`);
}

/** This thread's CPU ms from /proc (Linux), undefined elsewhere: the serial part that caps one process. */
function mainThreadMs(): number | undefined {
  try {
    const fields = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
const totalCpu = () => {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1000;
};
for (let i = 0; i < Math.min(200, N); i++) await flow();
for (const k of Object.keys(cpu) as Step[]) {
  cpu[k] = 0;
  wall[k] = [];
}
sqlTimes.clear();
opCounts.clear();
frameCounts.clear();
const all0 = totalCpu();
const main0 = mainThreadMs();
const t0 = performance.now();
for (let i = 0; i < N; i++) await flow();
const elapsed = performance.now() - t0;
const all = totalCpu() - all0;
const main1 = mainThreadMs();
console.log(`${N} flows in-process, ${(elapsed / N).toFixed(2)} ms each; CPU per flow: every thread ${(all / N).toFixed(2)} ms` + (main0 !== undefined && main1 !== undefined ? `, main thread ${((main1 - main0) / N).toFixed(2)} ms` : ''));
for (const k of Object.keys(cpu) as Step[]) {
  const w = wall[k].sort((a, b) => a - b);
  console.log(`  ${k.padEnd(10)} all threads ${(cpu[k] / N).toFixed(2).padStart(6)} ms   wall p50 ${percentile(w, 50).toFixed(2)} ms`);
}
if (opCounts.size) {
  console.log('SDK calls to the engine per flow:');
  for (const [op, n] of [...opCounts].sort((x, y) => y[1] - x[1])) console.log(`  ${(n / N).toFixed(2).padStart(6)}× ${op}`);
}
if (sqlTimes.size) {
  const rows = [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((sum, [, e]) => sum + e.ms, 0);
  console.log(`SQLite: ${(total / N).toFixed(3)} ms and ${(rows.reduce((sum, [, e]) => sum + e.n, 0) / N).toFixed(1)} statements per flow`);
  for (const [sqlText, e] of rows.slice(0, 25)) console.log(`  ${((e.ms / N) * 1000).toFixed(0).padStart(5)} µs/flow ${(e.n / N).toFixed(1).padStart(4)}× ${sqlText.replace(/\s+/g, ' ').slice(0, 110)}`);
}
if (frameCounts.size) {
  const rows = [...frameCounts].sort((a, b) => b[1].frames - a[1].frames);
  console.log(`WAL frames: ${(rows.reduce((sum, [, e]) => sum + e.frames, 0) / N).toFixed(1)} per flow`);
  for (const [sqlText, e] of rows.filter(([, e]) => e.frames > 0)) console.log(`  ${(e.frames / N).toFixed(2).padStart(6)} per flow ${(e.n / N).toFixed(1).padStart(4)}× ${sqlText.replace(/\s+/g, ' ').slice(0, 110)}`);
}
await t.close();
process.exit(0);
