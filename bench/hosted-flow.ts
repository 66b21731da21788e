/**
 * Hosted sign-in benchmark (issue 3): complete browserless sign-ins against the BUILT Portico
 * (its own server, server.ts, in its own process; fresh SQLite data directory), 16 flows at a time:
 *
 *   GET /oauth2/authorize (PKCE, state, nonce) → 303 /login?tx=…   (new browser each flow: no SSO)
 *   GET /login?tx=…                          → the form; tx and csrf read from the HTML
 *   POST /login?tx=… (username, password)    → 303 to the callback with ?code=  (SRP on the server)
 *   POST /oauth2/token (client_secret_basic, code_verifier) → tokens
 *
 * Prints flows/s, p50/p99 of the whole flow and of each step, and the server's CPU per flow (user +
 * system of the server process tree, from /proc). `--profile` runs the server with --cpu-prof and
 * prints where the profile is.
 *   npx tsx bench/hosted-flow.ts [--seconds 10] [--concurrency 16] [--steps] [--profile]
 * `--steps` adds a sequential pass that attributes the server's CPU to each step. `--next-start` serves
 * with plain `next start` instead (every request through Next), for comparison.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ensureBuild, root, serverEntry } from '../scripts/build-state.mjs';
import { freePort, waitFor } from '../test/helpers/next-server';
import { formatResult, percentile, runLoad } from './lib';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const CONCURRENCY = arg('concurrency', 16);
const PROFILE = process.argv.includes('--profile');
const NEXT_START = process.argv.includes('--next-start');
const PASSWORD = 'Bench-Passw0rd!';
const CALLBACK = 'https://rp.example/cb';

await ensureBuild({ stdio: 'quiet' });
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-bench-flow-'));
const profileDir = path.join(dataDir, 'profile');
const admin = { keyId: `PORTICOBENCH${randomBytes(4).toString('hex').toUpperCase()}`, secret: randomBytes(24).toString('base64url') };
const env: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) {
  if (v !== undefined && !k.startsWith('PORTICO_') && k !== 'DATABASE_URL' && k !== 'PORT') env[k] = v;
}
const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
const serverArgs = NEXT_START ? [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port)] : [serverEntry(root)];
const server = spawn(process.execPath, [...nodeArgs, ...serverArgs], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'pipe'],
  env: {
    ...env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_NO_WARNINGS: '1',
    PORT: String(port),
    PORTICO_URL: url,
    PORTICO_DATA: dataDir,
    PORTICO_DEMO: 'off',
    PORTICO_LOG_LEVEL: 'warn',
    PORTICO_ADMIN_KEY_ID: admin.keyId,
    PORTICO_ADMIN_SECRET: admin.secret,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  },
});
let serverErr = '';
server.stderr!.on('data', (d: Buffer) => (serverErr = (serverErr + d.toString()).slice(-4000)));
await waitFor(
  async () => {
    if (server.exitCode !== null) throw new Error(`the server exited:\n${serverErr}`);
    try {
      return (await fetch(`${url}/healthz`)).ok ? true : undefined;
    } catch {
      return undefined;
    }
  },
  60_000,
  'the server',
);

/** CPU seconds (user + system) from a /proc stat line. */
function cpuOf(statFile: string): number {
  const stat = fs.readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // CLK_TCK
}
/** The whole server process: every thread, the crypto threads included. */
const serverCpuSeconds = () => cpuOf(`/proc/${server.pid}/stat`);
/** Node's main thread alone (the one that serves requests): the per-process ceiling. */
const mainThreadCpuSeconds = () => cpuOf(`/proc/${server.pid}/task/${server.pid}/stat`);

const sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: admin.keyId, secretAccessKey: admin.secret }, maxAttempts: 1 });
const poolId = (await sdk.send(new CreateUserPoolCommand({ PoolName: 'bench' }))).UserPool!.Id!;
const created = await sdk.send(
  new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: 'bench',
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    SupportedIdentityProviders: ['COGNITO'],
    CallbackURLs: [CALLBACK],
  }),
);
const clientId = created.UserPoolClient!.ClientId!;
const basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(created.UserPoolClient!.ClientSecret!)}`).toString('base64')}`;
const users = Array.from({ length: CONCURRENCY }, (_, i) => `bench-user-${i}`);
for (const Username of users) {
  await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, MessageAction: 'SUPPRESS' }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: PASSWORD, Permanent: true }));
}
// The hosted front learns new clients on a directory rebuild (at most every couple of seconds).
await waitFor(
  async () => {
    const res = await fetch(`${url}/oauth2/authorize?client_id=${clientId}`, { redirect: 'manual' });
    return (await res.text()).includes('invalid_client') ? undefined : true;
  },
  10_000,
  'the client to be known',
);

type Step = 'authorize' | 'page' | 'post' | 'token';
const steps: Record<Step, number[]> = { authorize: [], page: [], post: [], token: [] };
/** Server CPU per step, measured only in the sequential --steps pass (10 ms ticks, averaged). */
const stepCpu: Record<Step, number> = { authorize: 0, page: 0, post: 0, token: 0 };
const stepMainCpu: Record<Step, number> = { authorize: 0, page: 0, post: 0, token: 0 };
let measureStepCpu = false;
const b64url = (b: Buffer) => b.toString('base64url');

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
}

async function timed<T>(step: Step, fn: () => Promise<T>): Promise<T> {
  const cpu0 = measureStepCpu ? serverCpuSeconds() : 0;
  const main0 = measureStepCpu ? mainThreadCpuSeconds() : 0;
  const t0 = performance.now();
  const out = await fn();
  steps[step].push(performance.now() - t0);
  if (measureStepCpu) {
    stepCpu[step] += serverCpuSeconds() - cpu0;
    stepMainCpu[step] += mainThreadCpuSeconds() - main0;
  }
  return out;
}

async function flow(worker: number): Promise<void> {
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state,
    nonce: b64url(randomBytes(16)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  });
  const authorize = await timed('authorize', () => fetch(`${url}/oauth2/authorize?${q}`, { redirect: 'manual' }));
  const loginPath = authorize.headers.get('location');
  if (authorize.status !== 303 || !loginPath?.startsWith('/login?')) throw new Error(`authorize: ${authorize.status} ${loginPath}`);
  const cookie = cookiesOf(authorize);

  const page = await timed('page', async () => {
    const res = await fetch(`${url}${loginPath}`, { headers: { cookie } });
    return { status: res.status, html: await res.text() };
  });
  const action = /<form[^>]*action="([^"]+)" method="post"/.exec(page.html)?.[1]?.replace(/&amp;/g, '&');
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)?.[1];
  if (page.status !== 200 || !action || !csrf) throw new Error(`login page: ${page.status}`);

  const posted = await timed('post', () =>
    fetch(`${url}${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, username: users[worker]!, password: PASSWORD }).toString(),
    }),
  );
  const callback = posted.headers.get('location');
  const code = callback ? new URL(callback).searchParams.get('code') : null;
  if (posted.status !== 303 || !code || new URL(callback!).searchParams.get('state') !== state) throw new Error(`sign-in: ${posted.status} ${callback}`);

  const token = await timed('token', async () => {
    const res = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier }).toString(),
    });
    return { status: res.status, body: (await res.json()) as { id_token?: string; access_token?: string } };
  });
  if (token.status !== 200 || !token.body.id_token || !token.body.access_token) throw new Error(`token: ${token.status}`);
}

console.log(`hosted sign-in flows against ${NEXT_START ? 'next start' : "Portico's server"} (SQLite${process.env.DATABASE_URL ? ' → PostgreSQL' : ''}), ${CONCURRENCY} concurrent, ${SECONDS}s; ${os.cpus().length} CPUs shared with the load generator`);
await runLoad('warm-up', CONCURRENCY, 2, flow);
for (const bucket of Object.values(steps)) bucket.length = 0;
const cpuBefore = serverCpuSeconds();
const mainBefore = mainThreadCpuSeconds();
const r = await runLoad('authorize→form→code→token', CONCURRENCY, SECONDS, flow);
const cpuAfter = serverCpuSeconds();
const cpuPerFlow = r.count > 0 ? ((cpuAfter - cpuBefore) * 1000) / r.count : NaN;
const mainPerFlow = r.count > 0 ? ((mainThreadCpuSeconds() - mainBefore) * 1000) / r.count : NaN;
console.log(formatResult(r, `  server CPU ${cpuPerFlow.toFixed(1)} ms/flow (main thread ${mainPerFlow.toFixed(1)})`));
for (const [name, bucket] of Object.entries(steps)) {
  bucket.sort((a, b) => a - b);
  console.log(`  ${name.padEnd(10)} p50 ${percentile(bucket, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(bucket, 99).toFixed(1).padStart(7)} ms`);
}
if (process.argv.includes('--steps')) {
  // One flow at a time, so the server's CPU between the two reads belongs to that step alone.
  for (const bucket of Object.values(steps)) bucket.length = 0;
  measureStepCpu = true;
  const seq = await runLoad('sequential (CPU per step)', 1, SECONDS, flow);
  measureStepCpu = false;
  console.log(formatResult(seq));
  for (const [name, cpu] of Object.entries(stepCpu)) {
    const main = stepMainCpu[name as Step];
    console.log(`  ${name.padEnd(10)} server CPU ${((cpu * 1000) / seq.count).toFixed(1).padStart(5)} ms/step (main thread ${((main * 1000) / seq.count).toFixed(1).padStart(5)})`);
  }
  // The floor of a request Next serves (proxy + routing + a route handler that does nothing).
  const floor0 = serverCpuSeconds();
  const floor = await runLoad('GET /healthz (floor)', 1, 3, async () => {
    await (await fetch(`${url}/healthz`)).text();
  });
  console.log(`  a bare request (GET /healthz) costs ${(((serverCpuSeconds() - floor0) * 1000) / floor.count).toFixed(2)} ms of server CPU`);
}
const target = 100;
console.log(r.perSecond >= target ? `target ≥ ${target} flows/s: met` : `target ≥ ${target} flows/s: NOT met (${r.perSecond.toFixed(1)})`);

sdk.destroy();
server.kill('SIGINT');
await new Promise((resolve) => server.on('exit', resolve));
if (PROFILE) {
  const profiles = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).map((f) => path.join(profileDir, f)) : [];
  console.log(`CPU profiles (open in Chrome DevTools): ${profiles.join(', ') || 'none written'}`);
} else {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
