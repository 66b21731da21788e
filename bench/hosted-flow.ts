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
import { ensureBuild, root } from '../scripts/build-state.mjs';
import { freePort } from '../test/helpers/next-server';
import { formatResult, percentile, runLoad } from './lib';
import { send } from './http-client';
import { createUser, newAdmin, redeem, setUpClient, signIn, startPortico, tempDir, type Step } from './portico';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const CONCURRENCY = arg('concurrency', 16);
const PROFILE = process.argv.includes('--profile');
const NEXT_START = process.argv.includes('--next-start');

await ensureBuild({ stdio: 'quiet' });
const port = await freePort();
const dataDir = tempDir('portico-bench-flow-');
const profileDir = path.join(dataDir, 'profile');
const admin = newAdmin();
const server = await startPortico({
  port,
  dataDir,
  admin,
  databaseUrl: process.env.DATABASE_URL,
  nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  entry: NEXT_START ? [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port)] : undefined,
});
process.on('exit', () => server.child.kill('SIGKILL'));
const { url } = server;
const client = await setUpClient(url, admin);
const users = Array.from({ length: CONCURRENCY }, (_, i) => `bench-user-${i}`);
for (const u of users) await createUser(client, u);

const steps: Record<Step, number[]> = { authorize: [], page: [], post: [], token: [] };
/** Server CPU per step, measured only in the sequential --steps pass (10 ms ticks, averaged). */
const stepCpu: Record<Step, number> = { authorize: 0, page: 0, post: 0, token: 0 };
const stepMainCpu: Record<Step, number> = { authorize: 0, page: 0, post: 0, token: 0 };
let measureStepCpu = false;

async function timed<T>(step: Step, fn: () => Promise<T>): Promise<T> {
  const cpu0 = measureStepCpu ? server.cpuSeconds() : 0;
  const main0 = measureStepCpu ? server.mainThreadSeconds() : 0;
  const t0 = performance.now();
  const out = await fn();
  steps[step].push(performance.now() - t0);
  if (measureStepCpu) {
    stepCpu[step] += server.cpuSeconds() - cpu0;
    stepMainCpu[step] += server.mainThreadSeconds() - main0;
  }
  return out;
}

async function flow(worker: number): Promise<void> {
  const s = await signIn(url, client.clientId, users[worker]!, timed);
  await redeem(url, client.basic, s.code, s.verifier, timed);
}

console.log(`hosted sign-in flows against ${NEXT_START ? 'next start' : "Portico's server"} (SQLite${process.env.DATABASE_URL ? ' → PostgreSQL' : ''}), ${CONCURRENCY} concurrent, ${SECONDS}s; ${os.cpus().length} CPUs shared with the load generator`);
await runLoad('warm-up', CONCURRENCY, 2, flow);
for (const bucket of Object.values(steps)) bucket.length = 0;
const cpuBefore = server.cpuSeconds();
const mainBefore = server.mainThreadSeconds();
const r = await runLoad('authorize→form→code→token', CONCURRENCY, SECONDS, flow);
const cpuAfter = server.cpuSeconds();
const cpuPerFlow = r.count > 0 ? ((cpuAfter - cpuBefore) * 1000) / r.count : NaN;
const mainPerFlow = r.count > 0 ? ((server.mainThreadSeconds() - mainBefore) * 1000) / r.count : NaN;
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
  const floor0 = server.cpuSeconds();
  const floor = await runLoad('GET /healthz (floor)', 1, 3, async () => {
    await send(`${url}/healthz`);
  });
  console.log(`  a bare request (GET /healthz) costs ${(((server.cpuSeconds() - floor0) * 1000) / floor.count).toFixed(2)} ms of server CPU`);
}
const target = 100;
console.log(r.perSecond >= target ? `target ≥ ${target} flows/s: met` : `target ≥ ${target} flows/s: NOT met (${r.perSecond.toFixed(1)})`);

client.sdk.destroy();
await server.stop('SIGINT');
if (PROFILE) {
  const profiles = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).map((f) => path.join(profileDir, f)) : [];
  console.log(`CPU profiles (open in Chrome DevTools): ${profiles.join(', ') || 'none written'}`);
} else {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
