/**
 * A/B of a change to the sign-in flow's speed on a machine whose speed drifts: the flow at C concurrent
 * for S seconds, each flow counted in the 5-second wall-clock phase (A, B, A, B, …) it started and ended
 * in (a flow that spans a flip is dropped), so drift falls on both sides alike. Not a test; it prints
 * sign-ins/s and p50/p90/p99 per phase.
 *
 * Two ways to give the phases something to differ in:
 * - one server, with a temporary change in its code that reads the phase itself
 *   (`Math.floor(Date.now() / 5000) % 2 === 1` is B) — experiment code, never committed;
 * - `--two`: two servers, phase A loads the first and phase B the second, for what is fixed at start:
 *   Node flags (`--a-args` / `--b-args`; settings through the environment go to both), or the code itself
 *   (`--a-root DIR`: phase A runs the server built in another checkout, e.g. a `git worktree` of the commit
 *   before, its node_modules hard-linked with `cp -al`; phase B runs this one). The idle server only
 *   sleeps. Each server's CPU per flow (all threads, and its main thread) is printed too: steadier than
 *   the rate, which the scheduler moves by a few percent.
 * An A/A run (`--two` with no arguments) measures the method's own noise: on the fifth machine up to
 * ±5 % in sign-ins/s over 100–120 s, so a change smaller than that needs several runs or another measure.
 *
 *   npx tsx bench/phase-ab.ts [--c 16] [--s 120] [--two [--a-args "…"] [--b-args "…"] [--a-root DIR]]
 */
import { createUser, newAdmin, redeem, setUpClient, signIn, startPortico, tempDir, type BenchClient, type PorticoProcess } from './portico';
import { freePort } from '../test/helpers/next-server';
import { percentile } from './lib';
import fs from 'node:fs';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const CONCURRENCY = Number(option('c') ?? 16);
const SECONDS = Number(option('s') ?? 120);
const TWO = argv.includes('--two');
const PHASE_MS = 5000;
const flags = (v: string | undefined) => (v ?? '').split(' ').filter(Boolean);

/** CPU ms per thread of a process (Linux schedstat), by thread id. */
function threadTimes(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(tid, Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // the thread ended between the two reads
    }
  }
  return out;
}

/** The main thread, the two busiest other threads (the crypto threads, by default two) and the rest. */
function split(pid: number, before: Map<string, number>, after: Map<string, number>): { main: number; busiest: number; rest: number } {
  const used = [...after].map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)] as const);
  const main = used.find(([tid]) => tid === String(pid))?.[1] ?? 0;
  const others = used.filter(([tid]) => tid !== String(pid)).map(([, ms]) => ms).sort((a, b) => b - a);
  const busiest = (others[0] ?? 0) + (others[1] ?? 0);
  return { main, busiest, rest: others.slice(2).reduce((a, b) => a + b, 0) };
}

const servers: { server: PorticoProcess; client: BenchClient }[] = [];
const sides = TWO
  ? [
      { nodeArgs: flags(option('a-args')), checkout: option('a-root') },
      { nodeArgs: flags(option('b-args')), checkout: undefined },
    ]
  : [{ nodeArgs: [], checkout: undefined }];
const dataDirs: string[] = [];
for (const { nodeArgs, checkout } of sides) {
  const admin = newAdmin();
  const dataDir = tempDir('portico-phase-ab-');
  dataDirs.push(dataDir);
  const server = await startPortico({ port: await freePort(), dataDir, admin, nodeArgs, checkout });
  process.on('exit', () => server.child.kill('SIGKILL'));
  servers.push({ server, client: await setUpClient(server.url, admin) });
}
const users = Array.from({ length: CONCURRENCY }, (_, i) => `phase-ab-${i}`);
for (const { client } of servers) for (const u of users) await createUser(client, u);

const phaseOf = (t: number) => Math.floor(t / PHASE_MS) % 2;
const latencies: number[][] = [[], []];
/** Flows each server ran in the measured window (spanning a flip included), for its CPU per flow. */
const ran = [0, 0];
let stopAt = Date.now() + 12_000;
const worker = async (w: number, record: boolean) => {
  while (Date.now() < stopAt) {
    const t0 = Date.now();
    const p0 = performance.now();
    const which = TWO ? phaseOf(t0) : 0;
    const { server, client } = servers[which]!;
    const s = await signIn(server.url, client.clientId, users[w]!);
    await redeem(server.url, client.basic, s.code, s.verifier);
    if (record) ran[which]!++;
    if (record && Math.floor(t0 / PHASE_MS) === Math.floor(Date.now() / PHASE_MS)) latencies[phaseOf(t0)]!.push(performance.now() - p0);
  }
};
// Warm-up (JIT, caches, threads): 12 s span at least one whole phase of each server.
await Promise.all(users.map((_, w) => worker(w, false)));
const cpu0 = servers.map(({ server }) => ({ all: server.cpuSeconds(), main: server.mainThreadSeconds() }));
const threads0 = servers.map(({ server }) => threadTimes(server.child.pid!));
const start = Date.now();
stopAt = start + SECONDS * 1000;
await Promise.all(users.map((_, w) => worker(w, true)));
const cpu = servers.map(({ server }, i) => ({ all: server.cpuSeconds() - cpu0[i]!.all, main: server.mainThreadSeconds() - cpu0[i]!.main }));
const threadSplit = servers.map(({ server }, i) => split(server.child.pid!, threads0[i]!, threadTimes(server.child.pid!)));
const phaseSeconds = [0, 0];
for (let t = start; t < stopAt; t += 100) phaseSeconds[phaseOf(t)]! += 0.1;

console.log(`flow at ${CONCURRENCY} concurrent, ${SECONDS} s, phases of ${PHASE_MS / 1000} s${TWO ? ' (A: first server, B: second)' : ''}`);
for (const p of [0, 1]) {
  const a = latencies[p]!.sort((x, y) => x - y);
  const rss = servers[TWO ? p : 0]!.server.rss() / 1048576;
  // With two servers each one's CPU is its own phase's: a steadier measure than the rate, which the
  // scheduler's luck moves by a few percent.
  const t = threadSplit[p]!;
  const per = (ms: number) => (ms / ran[p]!).toFixed(2);
  const own = TWO
    ? ` CPU/flow ${((cpu[p]!.all * 1000) / ran[p]!).toFixed(2)} ms, main thread ${((cpu[p]!.main * 1000) / ran[p]!).toFixed(2)} ms` +
      ` (schedstat: main ${per(t.main)}, two busiest others ${per(t.busiest)}, the rest ${per(t.rest)})`
    : '';
  console.log(
    `phase ${p === 0 ? 'A' : 'B'}: ${(a.length / phaseSeconds[p]!).toFixed(1)} sign-ins/s (${a.length} kept)  ` +
      `p50 ${percentile(a, 50).toFixed(0)}  p90 ${percentile(a, 90).toFixed(0)}  p99 ${percentile(a, 99).toFixed(0)} ms  RSS ${rss.toFixed(0)} MB${own}`,
  );
}
for (const { server } of servers) await server.stop();
for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
