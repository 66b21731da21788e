// Node flags for Portico's server process, shared by `npm start`, the benchmarks and the tests that start
// the built server, so what is measured is what runs. Cluster workers (PORTICO_PROCESSES) inherit them.
import os from 'node:os';

// V8 lets the old generation grow far past the live data before a full collection (the default limit here
// is about 4 GB): under 64 concurrent page renders one process reached 480 MB resident with 60–75 MB live.
// A limit a few times the live set keeps a process near 230 MB at the same CPU per request (bench figures
// in README). PORTICO_HEAP_MB sets it; 0 keeps Node's default. A flag already in NODE_OPTIONS wins.
// lib/config/env.ts validates the value (so `npm start` names the setting); here a bad value is ignored.
export const DEFAULT_HEAP_MB = 192;

// With a limit that small V8 also lets the heap grow only 1.1–1.3× past what survived the last full
// collection before it starts the next (its growing factor for small heaps). Under load that was a full
// collection every ~5 s, and each held up every sign-in in flight by ~90 ms (marking steps and the pause
// on the main thread): the flow's slowest 1 % came in bunches of 12–16 flows at full collections.
// Growing 2× instead: a full collection every ~15 s. Paired runs of the flow at 16 (bench/phase-ab.ts
// --two, both orders): p99 154 against 192 and 178 against 207 ms, 3–7 % less CPU per sign-in, 22–24 MB
// more resident; later, both flags here against neither: p99 169 against 175 and 190 against 191 ms (the
// gain is real but its size is not settled on a machine this noisy). Only with Portico's own limit; a
// --heap-growing-percent in NODE_OPTIONS wins.
export const HEAP_GROWING_PERCENT = 100;

function heapArgs(env) {
  if (/--max-old-space-size/.test(env.NODE_OPTIONS ?? '')) return [];
  const raw = env.PORTICO_HEAP_MB?.trim();
  let mb = raw ? Number(raw) : DEFAULT_HEAP_MB;
  if (!Number.isInteger(mb) || mb < 0) mb = DEFAULT_HEAP_MB;
  if (mb === 0) return [];
  const growing = /--heap-growing-percent/.test(env.NODE_OPTIONS ?? '') ? [] : [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`];
  return [`--max-old-space-size=${mb}`, ...growing];
}

// Node gives V8 four helper threads whatever the machine; they run the garbage collector's concurrent
// marking and sweeping and its parallel scavenges. Portico's own threads already fill the CPUs (the main
// thread and a crypto thread per CPU), and on two CPUs four more GC threads mostly wait for and steal from
// each other: V8 counted ~300 ms of marking on them per full collection, against 50–120 ms on one. So a
// process gets one helper thread per CPU of its share beyond the first (at least one, at most Node's
// four). Paired runs of the flow at 16 on two CPUs (bench/phase-ab.ts --two, both orders): 2.4 and 3.4 %
// less CPU per sign-in, 3–4 % more sign-ins/s, 10–16 MB less resident. A --v8-pool-size in NODE_OPTIONS wins.
const NODE_DEFAULT_V8_POOL = 4;

/** The helper threads for a process with `cpus` CPUs shared by PORTICO_PROCESSES processes. */
export function v8PoolSize(cpus, processes = 1) {
  const share = Math.floor(cpus / Math.max(1, processes));
  return Math.min(NODE_DEFAULT_V8_POOL, Math.max(1, share - 1));
}

function poolArgs(env, cpus) {
  if (/--v8-pool-size/.test(env.NODE_OPTIONS ?? '')) return [];
  // cluster.ts validates PORTICO_PROCESSES and stops on a bad value; here it only divides the CPUs.
  const processes = Number(env.PORTICO_PROCESSES?.trim() || 1);
  return [`--v8-pool-size=${v8PoolSize(cpus, Number.isInteger(processes) && processes > 0 ? processes : 1)}`];
}

export function serverNodeArgs(env = process.env, cpus = os.availableParallelism()) {
  return [...heapArgs(env), ...poolArgs(env, cpus)];
}
