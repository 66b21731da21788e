/**
 * Where the sign-in flow's slowest flows come from: the flow at 16 concurrent on one server (the suite's
 * setup, SQLite unless DATABASE_URL is set) with bench/loop-monitor.mjs preloaded, then
 * - the rate, p50/p90/p99, and the seconds with the fewest flows next to the server's CPU in them;
 * - every pause of the server's main thread longer than 8 ms, split by what the kernel says the thread
 *   did meanwhile: ran (a long task, GC), waited for a CPU (the machine busy), or neither — blocked in a
 *   system call (on SQLite: fsync at a WAL checkpoint);
 * - how many of the slowest 1 % of flows were in flight during a blocked pause of 20 ms or more, and how
 *   many during (or just before the end of) a full garbage collection.
 * Not a test; Linux only.
 *   npx tsx bench/stalls.ts [--s 40] [--c 16]
 */
import fs from 'node:fs';
import path from 'node:path';
import { createUser, newAdmin, redeem, setUpClient, signIn, startPortico, tempDir } from './portico';
import { freePort } from '../test/helpers/next-server';
import { percentile } from './lib';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const SECONDS = option('s', 40);
const CONCURRENCY = option('c', 16);
const STALL_MS = 20;

interface Gap {
  at: number;
  ms: number;
  running: number;
  waiting: number;
}
interface MonitorRecord {
  gaps: Gap[];
  gc: { at: number; ms: number; kind?: number }[];
}

const dataDir = tempDir('portico-stalls-');
const recordFile = path.join(dataDir, 'loop-monitor.json');
const admin = newAdmin();
const server = await startPortico({
  port: await freePort(),
  dataDir,
  admin,
  nodeArgs: ['--import', path.join(import.meta.dirname, 'loop-monitor.mjs')],
  env: { PORTICO_LOOP_MONITOR: recordFile },
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
});
process.on('exit', () => server.child.kill('SIGKILL'));
const client = await setUpClient(server.url, admin);
const users = Array.from({ length: CONCURRENCY }, (_, i) => `stalls-${i}`);
for (const u of users) await createUser(client, u);

const flows: { start: number; end: number }[] = [];
let recording = false;
let stopAt = Date.now() + 8_000;
const worker = async (w: number) => {
  while (Date.now() < stopAt) {
    const start = Date.now();
    const s = await signIn(server.url, client.clientId, users[w]!);
    await redeem(server.url, client.basic, s.code, s.verifier);
    if (recording) flows.push({ start, end: Date.now() });
  }
};
await Promise.all(users.map((_, w) => worker(w))); // warm-up

/** The server's CPU ms so far, every thread (/proc/<pid>/stat utime + stime, in clock ticks of 10 ms). */
const serverCpuMs = () => {
  const fields = fs.readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const cpuBySecond: number[] = [];
let cpuBefore = serverCpuMs();
const sampler = setInterval(() => {
  const now = serverCpuMs();
  cpuBySecond.push(now - cpuBefore);
  cpuBefore = now;
}, 1000);
recording = true;
const started = Date.now();
stopAt = started + SECONDS * 1000;
await Promise.all(users.map((_, w) => worker(w)));
clearInterval(sampler);
await new Promise((r) => setTimeout(r, 700)); // the monitor's last write
const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as MonitorRecord;
await server.stop();
fs.rmSync(dataDir, { recursive: true, force: true });

const durations = flows.map((f) => f.end - f.start).sort((a, b) => a - b);
const p99 = percentile(durations, 99);
console.log(
  `flow at ${CONCURRENCY} concurrent for ${SECONDS} s (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}): ${(flows.length / SECONDS).toFixed(1)}/s  ` +
    `p50 ${percentile(durations, 50).toFixed(0)}  p90 ${percentile(durations, 90).toFixed(0)}  p99 ${p99.toFixed(0)} ms`,
);

const perSecond = Array.from({ length: SECONDS }, (_, i) => ({
  second: i + 1,
  flows: flows.filter((f) => f.end >= started + i * 1000 && f.end < started + (i + 1) * 1000).length,
  cpu: cpuBySecond[i] ?? NaN,
}));
const slowest = [...perSecond].sort((a, b) => a.flows - b.flows).slice(0, 5);
console.log(`the 5 seconds with the fewest flows (flows, server CPU ms in that second): ${slowest.map((s) => `s${s.second} ${s.flows}/${s.cpu}`).join(', ')}`);
console.log(`median second: ${percentile(perSecond.map((s) => s.flows).sort((a, b) => a - b), 50)} flows, ${percentile(perSecond.map((s) => s.cpu).sort((a, b) => a - b), 50)} ms of server CPU`);

const gaps = record.gaps.filter((g) => g.at >= started && g.at <= stopAt);
const blockedOf = (g: Gap) => Math.max(0, g.ms - g.running - g.waiting);
const describe = (name: string, of: (g: Gap) => number) => {
  const long = gaps.map(of).filter((ms) => ms >= STALL_MS).sort((a, b) => b - a);
  const total = long.reduce((a, b) => a + b, 0);
  return `${name} ≥ ${STALL_MS} ms: ${long.length} (${total.toFixed(0)} ms; longest ${long.slice(0, 5).map((ms) => ms.toFixed(0)).join(', ') || '–'})`;
};
console.log(`main-thread pauses > 8 ms: ${gaps.length}; within them, time`);
console.log(`  ${describe('blocked (neither on a CPU nor waiting for one)', blockedOf)}`);
console.log(`  ${describe('running', (g) => g.running)}`);
console.log(`  ${describe('waiting for a CPU', (g) => g.waiting)}`);
const gc = record.gc.filter((e) => e.at >= started && e.at <= stopAt);
const gcOf = (kinds: number[]) => gc.filter((e) => e.kind !== undefined && kinds.includes(e.kind));
const gcLine = (name: string, list: typeof gc) => `${name} ${list.length} (max ${Math.max(0, ...list.map((e) => e.ms)).toFixed(1)} ms)`;
console.log(`GC pauses: ${gcLine('scavenges', gcOf([1, 2]))}, ${gcLine('mark-compacts', gcOf([4]))}`);

const stalls = gaps.filter((g) => blockedOf(g) >= STALL_MS).map((g) => ({ from: g.at - g.ms, to: g.at }));
const tail = flows.filter((f) => f.end - f.start >= p99);
const hit = tail.filter((f) => stalls.some((s) => s.from < f.end && s.to > f.start)).length;
console.log(`slowest 1 % of flows (≥ p99): ${tail.length}; in flight during a blocked pause ≥ ${STALL_MS} ms: ${hit}`);
// A full collection holds up every flow in flight (its marking steps and pause on the main thread, its
// helper threads on the CPUs): the eighth machine's slowest flows bunched right after them.
const fullGcs = gcOf([4]).map((e) => e.at);
const afterFullGc = tail.filter((f) => fullGcs.some((at) => at >= f.start && at <= f.end + 300)).length;
console.log(`  … in flight during a full collection (mark-compact; ${fullGcs.length} in the run) or ending ≤ 0.3 s after one: ${afterFullGc}`);
process.exit(0);
