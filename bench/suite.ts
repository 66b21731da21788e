/**
 * The benchmark suite (`npm run bench`): against the BUILT Portico (its own server in its own process,
 * fresh SQLite, or DATABASE_URL), at 1, 16 and 64 concurrent clients each:
 *
 *   flow     authorize → /login → form POST (SRP on the server, both sides) → code → POST /oauth2/token
 *   refresh  POST /oauth2/token grant_type=refresh_token
 *   token    POST /oauth2/token grant_type=authorization_code, codes issued beforehand from SSO sessions
 *   page     GET /login?tx=… (the sign-in page render)
 *
 * Each cell prints throughput, p50/p99, the server's CPU per operation (every thread of every process)
 * and its peak resident memory. Before that, the cryptographic floor of one sign-in is timed in this
 * process on one thread — SRP's g^a (client A), B = k·v + g^b, the client's and the server's S, and the
 * RS256 signatures of the access and ID tokens — and each cell's CPU is printed as a multiple of it.
 *
 *   npx tsx bench/suite.ts [--quick] [--seconds 8] [--levels 1,16,64] [--only flow,refresh,token,page] [--profile]
 * PORTICO_PROCESSES / PORTICO_CRYPTO_THREADS in this script's environment are passed to the server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import { freePort } from '../test/helpers/next-server';
import { ensureBuild } from '../scripts/build-state.mjs';
import { clientEphemeral, clientKey, computeVerifier, computeX, serverEphemeral, serverKey } from '../lib/crypto/srp-math';
import { percentile } from './lib';
import {
  createUser,
  loadLogin,
  newAdmin,
  openLogin,
  redeem,
  refreshGrant,
  setUpClient,
  signIn,
  ssoCode,
  startPortico,
  tempDir,
  type Step,
  type StepTimer,
} from './portico';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const QUICK = flag('quick');
const SECONDS = Number(option('seconds') ?? (QUICK ? 2 : 8));
const WARM = QUICK ? 0.5 : 2;
const LEVELS = (option('levels') ?? '1,16,64').split(',').map(Number);
const ONLY = new Set((option('only') ?? 'flow,refresh,token,page').split(','));
const PROFILE = flag('profile');
const MAX_LEVEL = Math.max(...LEVELS);
const CPUS = os.availableParallelism();

// ---- the cryptographic floor -------------------------------------------------------------------

/** CPU ms (this thread; nothing here leaves it) of one sign-in's cryptography, median of several rounds. */
function cryptoFloor(short = QUICK): { srp: number; rs256: number; total: number } {
  const x = computeX('0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'AbC123xyz', 'bench-user', 'Bench-Passw0rd!');
  const v = computeVerifier(x);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // Payloads the size of Portico's access and ID tokens.
  const accessInput = Buffer.from('x'.repeat(760));
  const idInput = Buffer.from('y'.repeat(900));
  const cpuMs = (fn: () => void, n: number) => {
    for (let i = 0; i < 5; i++) fn();
    const rounds: number[] = [];
    for (let r = 0; r < 5; r++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) fn();
      const c = process.cpuUsage(c0);
      rounds.push((c.user + c.system) / 1000 / n);
    }
    return rounds.sort((a, b) => a - b)[2]!;
  };
  const srp = cpuMs(() => {
    const client = clientEphemeral(); // A = g^a
    const server = serverEphemeral(v); // B = k·v + g^b
    clientKey(client.a, client.A, server.B, x); // S = (B − k·g^x)^(a+u·x)
    serverKey(client.A, server.B, server.b, v); // S = (A·v^u)^b
  }, short ? 20 : 60);
  const rs256 = cpuMs(() => {
    sign('sha256', accessInput, privateKey);
    sign('sha256', idInput, privateKey);
  }, short ? 40 : 150);
  return { srp, rs256, total: srp + rs256 };
}

// ---- the load loop -----------------------------------------------------------------------------

interface Cell {
  scenario: string;
  /** The crypto floor around this cell (ms; flow cells: the mean of one just before and one just after): a shared machine's speed drifts. */
  floorMs: number;
  concurrency: number;
  count: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuMsPerOp: number;
  /** The server's main thread(s) per operation: the serial part, which caps one process's rate. */
  mainMsPerOp: number;
  /** This process's CPU per operation: the load generator's share of the same two cores. */
  clientCpuMsPerOp: number;
  peakRssMb: number;
}

class OutOfWork extends Error {}

async function runCell(
  server: { rss(): number; cpuSeconds(): number; mainThreadSeconds(): number },
  scenario: string,
  concurrency: number,
  seconds: number,
  task: (worker: number) => Promise<void>,
): Promise<Cell> {
  const latencies: number[] = [];
  let errors = 0;
  let peakRss = server.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rss())), 200);
  const cpu0 = server.cpuSeconds();
  const own0 = process.cpuUsage();
  const main0 = server.mainThreadSeconds();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let exhausted = false;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (!exhausted && performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await task(worker);
          latencies.push(performance.now() - t0);
        } catch (e) {
          if (e instanceof OutOfWork) {
            exhausted = true;
            break;
          }
          errors++;
          if (errors <= 3) console.error(`  ${scenario}@${concurrency}: ${(e as Error).message}`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = server.cpuSeconds() - cpu0;
  const own = process.cpuUsage(own0);
  const main = server.mainThreadSeconds() - main0;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, server.rss());
  latencies.sort((a, b) => a - b);
  return {
    scenario,
    floorMs: floor.total,
    concurrency,
    count: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerOp: latencies.length ? (cpu * 1000) / latencies.length : NaN,
    mainMsPerOp: latencies.length ? (main * 1000) / latencies.length : NaN,
    clientCpuMsPerOp: latencies.length ? (own.user + own.system) / 1000 / latencies.length : NaN,
    peakRssMb: peakRss / 1048576,
  };
}

// ---- run ---------------------------------------------------------------------------------------

let floor = cryptoFloor();
const floors = [floor.total];
console.log(
  `crypto floor of one sign-in (one thread, in-process): ${floor.total.toFixed(2)} ms CPU = SRP ${floor.srp.toFixed(2)} ms (A, B, both S) + RS256 ×2 ${floor.rs256.toFixed(2)} ms` +
    `  → at most ${((CPUS * 1000) / floor.total).toFixed(0)} sign-ins/s on ${CPUS} cores`,
);

await ensureBuild({ stdio: 'quiet' });
const dataDir = tempDir('portico-bench-suite-');
const profileDir = path.join(dataDir, 'profile');
const admin = newAdmin();
const server = await startPortico({
  port: await freePort(),
  dataDir,
  admin,
  databaseUrl: process.env.DATABASE_URL,
  nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
});
// A failed run must not leave the server behind.
process.on('exit', () => server.child.kill('SIGKILL'));
const { url } = server;
const client = await setUpClient(url, admin);
const users = Array.from({ length: MAX_LEVEL }, (_, i) => `bench-user-${i}`);
for (let i = 0; i < users.length; i += 8) await Promise.all(users.slice(i, i + 8).map((u) => createUser(client, u)));

console.log(
  `Portico (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}; PORTICO_PROCESSES=${process.env.PORTICO_PROCESSES ?? '1'}, PORTICO_CRYPTO_THREADS=${process.env.PORTICO_CRYPTO_THREADS ?? 'default'}), ` +
    `${SECONDS}s per cell; ${CPUS} CPUs shared with the load generator`,
);

const stepTimes: Record<Step, number[]> = { authorize: [], page: [], post: [], token: [] };
let recordSteps = false;
const timed: StepTimer = async (step, fn) => {
  const t0 = performance.now();
  const out = await fn();
  if (recordSteps) stepTimes[step].push(performance.now() - t0);
  return out;
};

// Per-worker state for the cheaper scenarios, made once with real sign-ins.
const sessions: { cookie: string; refreshToken: string }[] = [];
for (let i = 0; i < MAX_LEVEL; i += 8) {
  const batch = await Promise.all(
    users.slice(i, i + 8).map(async (u) => {
      const s = await signIn(url, client.clientId, u);
      const tokens = await redeem(url, client.basic, s.code, s.verifier);
      return { cookie: s.cookie, refreshToken: tokens.refresh_token! };
    }),
  );
  sessions.push(...batch);
}

const scenarios: Record<string, { prepare?: (level: number) => Promise<void>; task: (worker: number) => Promise<void> }> = {
  flow: {
    task: async (w) => {
      const s = await signIn(url, client.clientId, users[w]!, timed);
      await redeem(url, client.basic, s.code, s.verifier, timed);
    },
  },
  refresh: {
    task: async (w) => {
      await refreshGrant(url, client.basic, sessions[w]!.refreshToken);
    },
  },
  token: (() => {
    let codes: { code: string; verifier: string }[] = [];
    return {
      // Enough codes for the cell at a generous rate; the cell ends early if they run out.
      prepare: async () => {
        const want = Math.ceil((SECONDS + WARM) * (QUICK ? 500 : 900));
        codes = [];
        await Promise.all(
          Array.from({ length: 16 }, async (_, w) => {
            while (codes.length < want) codes.push(await ssoCode(url, client.clientId, sessions[w % sessions.length]!.cookie));
          }),
        );
      },
      task: async () => {
        const c = codes.pop();
        if (!c) throw new OutOfWork();
        await redeem(url, client.basic, c.code, c.verifier);
      },
    };
  })(),
  page: (() => {
    let pages: { loginPath: string; cookie: string }[] = [];
    return {
      prepare: async (level) => {
        pages = [];
        for (let w = 0; w < level; w++) pages.push(await openLogin(url, client.clientId));
      },
      task: async (w) => {
        await loadLogin(url, pages[w]!.loginPath, pages[w]!.cookie);
      },
    };
  })(),
};

const cells: Cell[] = [];
// A fresh server runs unoptimised code at first: warm every path (JIT, caches, the crypto threads) before
// any cell, so the first cell measured is not the cold one whatever --levels and --only say.
await runCell(server, 'warm-up', 8, QUICK ? 3 : 5, async (w) => {
  const s = await signIn(url, client.clientId, users[w % users.length]!);
  const tokens = await redeem(url, client.basic, s.code, s.verifier);
  await refreshGrant(url, client.basic, tokens.refresh_token!);
});
const header = `${'scenario'.padEnd(8)} ${'conc'.padStart(4)} ${'ops/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU ms/op'.padStart(10)} ${'× floor'.padStart(8)} ${'RSS MB'.padStart(7)} ${'main ms/op'.padStart(10)} ${'client ms/op'.padStart(12)}  errors`;
console.log(header);
for (const [name, sc] of Object.entries(scenarios)) {
  if (!ONLY.has(name)) continue;
  for (const level of LEVELS) {
    await sc.prepare?.(level);
    if (name === 'flow' && cells.length > 0) {
      // Measured again on the idle server: a flow cell's multiple is taken against the floor of the same minute.
      floor = cryptoFloor(true);
      floors.push(floor.total);
    }
    await runCell(server, 'warm-up', level, WARM, sc.task);
    for (const b of Object.values(stepTimes)) b.length = 0;
    recordSteps = name === 'flow';
    const cell = await runCell(server, name, level, SECONDS, sc.task);
    recordSteps = false;
    if (name === 'flow') {
      // And again right after: the cell is taken against the mean of the floors on either side of it.
      floor = cryptoFloor(true);
      floors.push(floor.total);
      cell.floorMs = (cell.floorMs + floor.total) / 2;
    }
    cells.push(cell);
    console.log(
      `${name.padEnd(8)} ${String(level).padStart(4)} ${cell.perSecond.toFixed(1).padStart(8)} ${cell.p50.toFixed(1).padStart(8)} ${cell.p99.toFixed(1).padStart(8)} ` +
        `${cell.cpuMsPerOp.toFixed(2).padStart(10)} ${(cell.cpuMsPerOp / cell.floorMs).toFixed(2).padStart(8)} ${cell.peakRssMb.toFixed(0).padStart(7)} ${cell.mainMsPerOp.toFixed(2).padStart(10)} ${cell.clientCpuMsPerOp.toFixed(2).padStart(12)}  ${cell.errors}`,
    );
    if (name === 'flow') {
      const parts = (Object.entries(stepTimes) as [Step, number[]][]).map(([s, b]) => {
        b.sort((x, y) => x - y);
        return `${s} ${percentile(b, 50).toFixed(1)}/${percentile(b, 99).toFixed(1)}`;
      });
      console.log(`         steps p50/p99 ms: ${parts.join(', ')}`);
    }
  }
}

// ---- the targets -----------------------------------------------------------------------

const cell = (s: string, c: number) => cells.find((x) => x.scenario === s && x.concurrency === c);
const best = (s: string) => cells.filter((x) => x.scenario === s).sort((a, b) => b.perSecond - a.perSecond)[0];
const checks: [string, boolean | undefined][] = [];
const flowBest = best('flow');
if (flowBest) {
  checks.push([`sign-in flow ≥ 150/s (best ${flowBest.perSecond.toFixed(0)}/s at ${flowBest.concurrency})`, flowBest.perSecond >= 150]);
  // The floor's rate on every core, against the flow's rate: how far the flow is from pure crypto.
  const rateMultiple = (CPUS * 1000) / flowBest.floorMs / flowBest.perSecond;
  const lowest = Math.min(...cells.filter((x) => x.scenario === 'flow').map((x) => x.cpuMsPerOp / x.floorMs));
  checks.push([`sign-in flow within 2× its crypto floor (best cell CPU ${lowest.toFixed(2)}×; fastest cell CPU ${(flowBest.cpuMsPerOp / flowBest.floorMs).toFixed(2)}×, rate ${rateMultiple.toFixed(2)}×)`, lowest <= 2]);
}
const refreshBest = best('refresh');
if (refreshBest) checks.push([`refresh ≥ 600/s (best ${refreshBest.perSecond.toFixed(0)}/s)`, refreshBest.perSecond >= 600]);
for (const s of ['flow', 'refresh', 'token', 'page']) {
  const c = cell(s, 16);
  if (c) checks.push([`${s} p99 at 16 concurrent < 150 ms (${c.p99.toFixed(0)} ms)`, c.p99 < 150]);
}
if (cells.length) {
  const rss = Math.max(...cells.map((c) => c.peakRssMb));
  checks.push([`resident memory < 300 MB under load (peak ${rss.toFixed(0)} MB, every process)`, rss < 300]);
  checks.push([`no errors (${cells.reduce((n, c) => n + c.errors, 0)})`, cells.every((c) => c.errors === 0)]);
}
for (const [what, ok] of checks) console.log(`${ok ? 'met    ' : 'NOT met'}  ${what}`);
if (flowBest) {
  // What the targets ask of this machine: 150/s on these cores leaves this much CPU per sign-in.
  const budget = (CPUS * 1000) / 150;
  const lo = Math.min(...floors);
  const hi = Math.max(...floors);
  console.log(
    `crypto floor over the run ${lo.toFixed(2)}–${hi.toFixed(2)} ms; 150 sign-ins/s on ${CPUS} cores leaves ${budget.toFixed(1)} ms of CPU each, ` +
      `${(budget / hi).toFixed(2)}–${(budget / lo).toFixed(2)}× the floor, load generator included`,
  );
}
console.log(JSON.stringify({ floor, floors, cpus: CPUS, processes: Number(process.env.PORTICO_PROCESSES ?? 1), cells }));

client.sdk.destroy();
await server.stop('SIGINT');
if (PROFILE) {
  const profiles = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).map((f) => path.join(profileDir, f)) : [];
  console.log(`CPU profiles (open in Chrome DevTools): ${profiles.join(', ') || 'none written'}`);
} else {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
