import { createDiffieHellman, getDiffieHellman, sign, type DiffieHellman, type KeyObject } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { settings } from '../config/env';
import { currentRequest } from '../observability/context';
import { randomExponent } from './random';

/**
 * base^exp mod N for SRP's group (RFC 3526 group 15, g = 2), through OpenSSL (ARCHITECTURE.md, "Crypto
 * through OpenSSL"): a DiffieHellman object whose private key is set to the exponent gives
 * computeSecret(base) = base^exp mod N (stack-notes G23).
 *
 * `modPowN` runs on the calling thread. The `…Async` functions run on a small pool of worker threads so
 * that a sign-in's exponentiations (a few ms of CPU) do not hold up Node's one main thread, which also
 * renders pages and serves every other request. The same threads make the pool's RS256 signatures
 * (`signRs256Async`). PORTICO_CRYPTO_THREADS sets the pool's size; 0 runs the async functions on the
 * calling thread.
 */
const N_BYTES = getDiffieHellman('modp15').getPrime();
export const N = BigInt(`0x${N_BYTES.toString('hex')}`);

export class SrpError extends Error {}

function toBuffer(n: bigint): Buffer {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

function engine(): DiffieHellman {
  // Constructing the object makes OpenSSL check the prime; reuse one per process (Next may load this
  // module more than once, in several bundles).
  const store = globalThis as { __porticoSrpDh?: DiffieHellman };
  store.__porticoSrpDh ??= createDiffieHellman(N_BYTES, Buffer.from([2]));
  return store.__porticoSrpDh;
}

/** base^exp mod N via OpenSSL. Throws SrpError for degenerate bases (≤1 or ≥N−1), see stack-notes G23. */
export function modPowN(base: bigint, exp: bigint): bigint {
  const b = ((base % N) + N) % N;
  if (exp === 0n) return 1n;
  if (b <= 1n || b >= N - 1n) throw new SrpError('degenerate base');
  const d = engine();
  d.setPrivateKey(toBuffer(exp));
  let out: Buffer;
  try {
    out = d.computeSecret(toBuffer(b));
  } catch {
    throw new SrpError('degenerate base');
  }
  return BigInt(`0x${out.toString('hex')}`);
}

/**
 * One unit of work for a thread: [base, exp] is base^exp mod N; [base, exp, mul, add, exp2] is
 * ((mul · base^exp + add) mod N)^exp2 — both SRP session keys have that shape, so each costs one round
 * trip instead of two.
 */
export type ModexpJob = readonly [bigint, bigint] | readonly [bigint, bigint, bigint, bigint, bigint];

/** An RS256 signature (RSASSA-PKCS1-v1_5 with SHA-256) over the ASCII `input`, base64url. */
export interface SignJob {
  readonly rs256: string;
  readonly key: KeyObject;
}

export type CryptoJob = ModexpJob | SignJob;

/** null stands for modPowN's SrpError (a degenerate base); a string is a signature; `error` a failed one. */
type JobResult = bigint | null | string | { error: string };

function runInline(job: CryptoJob): JobResult {
  if (!Array.isArray(job)) {
    const { rs256, key } = job as SignJob;
    try {
      return sign('sha256', Buffer.from(rs256, 'ascii'), key).toString('base64url');
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
  const m = job as ModexpJob;
  try {
    if (m.length === 2) return modPowN(m[0], m[1]);
    return modPowN(m[2] * modPowN(m[0], m[1]) + m[3], m[4]);
  } catch (e) {
    if (e instanceof SrpError) return null;
    throw e;
  }
}

/**
 * The thread's whole program, evaluated as a script (`eval: true`) so that no bundler has to find a
 * worker file: vitest and tsx run TypeScript, Next runs compiled bundles. Only node: built-ins. `pow`
 * must stay the same function as modPowN above (a unit test compares them over random and edge inputs).
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createDiffieHellman, sign } = require('node:crypto');
const os = require('node:os');
const N = BigInt('0x' + workerData.primeHex);
// Linux keeps a nice value per thread: this lowers only this thread's. Not permitted (or not Linux): as is.
try {
  os.setPriority(Math.min(19, os.getPriority() + workerData.niceIncrement));
} catch {}
const dh = createDiffieHellman(Buffer.from(workerData.primeHex, 'hex'), Buffer.from([2]));
function toBuffer(n) {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
}
function pow(base, exp) {
  const b = ((base % N) + N) % N;
  if (exp === 0n) return 1n;
  if (b <= 1n || b >= N - 1n) return null;
  dh.setPrivateKey(toBuffer(exp));
  let out;
  try {
    out = dh.computeSecret(toBuffer(b));
  } catch {
    return null;
  }
  return BigInt('0x' + out.toString('hex'));
}
function run(job) {
  if (!Array.isArray(job)) {
    try {
      return sign('sha256', Buffer.from(job.rs256, 'ascii'), job.key).toString('base64url');
    } catch (e) {
      return { error: String(e && e.message) };
    }
  }
  if (job.length === 2) return pow(job[0], job[1]);
  const inner = pow(job[0], job[1]);
  return inner === null ? null : pow(job[2] * inner + job[3], job[4]);
}
parentPort.on('message', (jobs) => parentPort.postMessage(jobs.map(run)));
`;

interface Task {
  jobs: readonly CryptoJob[];
  /**
   * When the request that asked for this work arrived (performance.now()), or when the task was queued
   * outside a request. The queue serves the oldest first (see CryptoPool).
   */
  since: number;
  resolve: (results: JobResult[]) => void;
  reject: (error: Error) => void;
  /** Threads that died while holding this task; after two it is refused rather than tried forever. */
  deaths: number;
}

interface Thread {
  worker: Worker;
  /** Sent to this thread and not yet answered, in the order sent (a thread answers in that order). */
  tasks: Task[];
  dead: boolean;
}

export interface CryptoPoolStats {
  size: number;
  threads: number;
  busy: number;
  /** Tasks sent to threads and not yet answered (up to `depth` per thread). */
  inFlight: number;
  queued: number;
  /** Threads that died and were replaced (or will be, on demand). */
  restarts: number;
}

/**
 * Tasks a thread holds at once. With one, a thread that finishes sits idle until the main thread gets
 * round to its answer and sends the next task — while the main thread is busy rendering a page, say. Under
 * load that left both cores about 15 % idle with 64 sign-ins in flight. With two, the next task is
 * already in the thread's queue when it finishes.
 */
const DEFAULT_DEPTH = 2;

/**
 * How much lower than the process a crypto thread runs (nice increment; Linux keeps one per thread).
 * A woken thread of equal priority may take the waker's core at once, so each task the main thread sent
 * could leave it — the thread every request needs — waiting behind an exponentiation. At a lower
 * priority a crypto thread takes what the main thread leaves, which is all of a core under load. Paired
 * A/B runs in one process (flow at 16 concurrent, phases alternating every 5 s, oldest-first ordering and
 * signatures on these threads in both): +4 % sign-ins/s, p99 147 against 161 ms.
 */
const NICE_INCREMENT = 10;

export class CryptoPool {
  private readonly threads: Thread[] = [];
  /**
   * One queue for all threads, oldest request first: an idle thread takes the head, then the least
   * loaded thread below `depth`, so a task waits behind at most depth − 1 others on a thread. Under load
   * a sign-in whose request came first gets its exponentiations and signatures before later ones instead
   * of every sign-in in flight waiting its turn at each step: paired A/B runs in one process (flow at 16
   * concurrent) gave p99 160 against 173 ms at the same throughput.
   */
  private readonly queue: Task[] = [];
  private restarts = 0;

  /** size 0: every task runs inline on the calling thread. */
  constructor(
    readonly size: number,
    readonly depth = DEFAULT_DEPTH,
  ) {}

  run(jobs: readonly CryptoJob[]): Promise<JobResult[]> {
    if (this.size === 0) {
      try {
        return Promise.resolve(jobs.map(runInline));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    const since = currentRequest()?.startedAt ?? performance.now();
    return new Promise((resolve, reject) => {
      // Behind every task of an older or equally old request (a request's own tasks keep their order).
      let i = this.queue.length;
      while (i > 0 && this.queue[i - 1]!.since > since) i--;
      this.queue.splice(i, 0, { jobs, since, resolve, reject, deaths: 0 });
      this.dispatch();
    });
  }

  stats(): CryptoPoolStats {
    return {
      size: this.size,
      threads: this.threads.length,
      busy: this.threads.filter((t) => t.tasks.length > 0).length,
      inFlight: this.threads.reduce((n, t) => n + t.tasks.length, 0),
      queued: this.queue.length,
      restarts: this.restarts,
    };
  }

  /** The live workers (tests end one to see the pool recover). */
  workers(): Worker[] {
    return this.threads.map((t) => t.worker);
  }

  /** Ends every thread; queued and running tasks are refused. The pool starts threads again on demand. */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    const waiting = this.queue.splice(0);
    for (const t of threads) {
      t.dead = true;
      waiting.push(...t.tasks.splice(0));
    }
    for (const task of waiting) task.reject(new Error('crypto pool closed'));
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let thread = this.threads.find((t) => t.tasks.length === 0);
      if (!thread && this.threads.length < this.size) {
        try {
          thread = this.spawn();
        } catch (e) {
          // No thread could start and none is running to take the queue later: refuse what waits.
          if (this.threads.length === 0) {
            for (const task of this.queue.splice(0)) task.reject(e as Error);
            return;
          }
        }
      }
      thread ??= this.leastLoaded();
      if (!thread) return;
      const task = this.queue.shift()!;
      thread.tasks.push(task);
      // Held only while busy: an awaited result keeps the process alive, an idle pool never does.
      if (thread.tasks.length === 1) thread.worker.ref();
      thread.worker.postMessage(task.jobs);
    }
  }

  private leastLoaded(): Thread | undefined {
    let best: Thread | undefined;
    for (const t of this.threads) if (t.tasks.length < this.depth && (!best || t.tasks.length < best.tasks.length)) best = t;
    return best;
  }

  private spawn(): Thread {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { primeHex: N_BYTES.toString('hex'), niceIncrement: NICE_INCREMENT },
      // No loaders or flags from the parent (tsx, vitest, --cpu-prof): the program is plain JavaScript.
      execArgv: [],
      name: 'portico-crypto',
    });
    worker.unref();
    const thread: Thread = { worker, tasks: [], dead: false };
    worker.on('message', (results: JobResult[]) => {
      const task = thread.tasks.shift();
      if (thread.tasks.length === 0) worker.unref();
      task?.resolve(results);
      this.dispatch();
    });
    const died = (error: Error) => {
      if (thread.dead) return;
      thread.dead = true;
      this.restarts++;
      const i = this.threads.indexOf(thread);
      if (i >= 0) this.threads.splice(i, 1);
      // The first task was running when the thread died; the ones behind it had not started. All go back to
      // the front of the queue in their order, and only the first counts the death.
      const [running, ...behind] = thread.tasks.splice(0);
      this.queue.unshift(...behind);
      if (running) {
        running.deaths++;
        if (running.deaths >= 2) running.reject(error);
        else this.queue.unshift(running);
      }
      this.dispatch();
    };
    worker.on('error', died);
    // An answer that cannot be read: end the thread; its task goes to a new one like any other death.
    worker.on('messageerror', () => void worker.terminate());
    worker.on('exit', (code) => died(new Error(`crypto thread exited with code ${code}`)));
    this.threads.push(thread);
    return thread;
  }
}

/** availableParallelism, at least 1 and at most 4; PORTICO_CRYPTO_THREADS overrides (0 = inline). */
export function defaultThreadCount(): number {
  const configured = settings().cryptoThreads;
  if (configured !== undefined) return configured;
  return Math.min(4, Math.max(1, os.availableParallelism()));
}

/** The process's pool (one across Next's bundles, like the DiffieHellman object above). */
export function cryptoPool(): CryptoPool {
  const store = globalThis as { __porticoCryptoPool?: CryptoPool };
  store.__porticoCryptoPool ??= new CryptoPool(defaultThreadCount());
  return store.__porticoCryptoPool;
}

function unwrap(result: JobResult | undefined): bigint {
  if (typeof result === 'bigint') return result;
  throw new SrpError('degenerate base');
}

/** modPowN on the crypto threads; rejects with SrpError where modPowN throws it. */
export async function modPowNAsync(base: bigint, exp: bigint): Promise<bigint> {
  const [result] = await cryptoPool().run([[base, exp]]);
  return unwrap(result);
}

/** Several independent exponentiations in one round trip (one thread computes them in turn). */
export async function modPowNBatchAsync(pairs: readonly (readonly [bigint, bigint])[]): Promise<bigint[]> {
  const results = await cryptoPool().run(pairs);
  return results.map((r) => unwrap(r));
}

/**
 * modPowN((mul · modPowN(base, exp) + add) mod N, exp2) in one round trip; SrpError when either base is
 * degenerate.
 */
export async function modPowChainAsync(base: bigint, exp: bigint, mul: bigint, add: bigint, exp2: bigint): Promise<bigint> {
  const [result] = await cryptoPool().run([[base, exp, mul, add, exp2]]);
  return unwrap(result);
}

/**
 * An RS256 signature over `input` (base64url) on the crypto threads, in the same oldest-first queue as
 * the sign-in's exponentiations. Before, libuv's pool signed: four more threads at the main thread's
 * priority, waking in no particular order. Paired A/B runs in one process (flow at 16 concurrent, the
 * ordering on in both): p99 157 against 168 ms at the same throughput, and half the latency for the
 * steps that sign nothing.
 */
export async function signRs256Async(input: string, key: KeyObject): Promise<string> {
  const pool = cryptoPool();
  // No threads: libuv's pool signs, as it would for any node:crypto callback, off the main thread.
  if (pool.size === 0) {
    return new Promise((resolve, reject) => {
      sign('sha256', Buffer.from(input, 'ascii'), key, (error, signature) => (error ? reject(error) : resolve(signature.toString('base64url'))));
    });
  }
  const [result] = await pool.run([{ rs256: input, key }]);
  if (typeof result === 'string') return result;
  throw new Error(`RS256 signing failed${result && typeof result === 'object' ? `: ${result.error}` : ''}`);
}

// ---- ephemeral keys made ahead, in batches -------------------------------------------------------

export interface RandomPower {
  /** A fresh secret exponent (the SRP ephemeral a or b), handed out once. */
  exp: bigint;
  /** g^exp mod N */
  pow: bigint;
}

/**
 * Every SRP sign-in needs two fresh (e, g^e) pairs: the client's A = g^a in the hosted front and the
 * server's g^b in the engine. Asking a thread for each costs a round trip (a message each way, a thread
 * woken) on the main thread per exponentiation and puts both on the sign-in's critical path. This keeps
 * a few made ahead, asking for them eight at a time, so a sign-in usually finds its pairs ready.
 * Each pair is taken once and lives only in this process's memory (as it would between the two halves of
 * a sign-in anyway); none is ever stored. The exponents are 256 random bits (RFC 5054 §2.5.3: ≥ 256).
 */
export class RandomPowers {
  private readonly ready: RandomPower[] = [];
  private refilling: Promise<void> | undefined;
  /** Takers waiting for the batch in flight: the next batch is made big enough for all of them. */
  private waiting = 0;
  private failure: Error | undefined;

  constructor(
    private readonly pool: () => CryptoPool,
    private readonly random: () => bigint,
    private readonly batch = 8,
    /** Refill when this few are left, so the next takers do not wait. */
    private readonly low = 4,
  ) {}

  get available(): number {
    return this.ready.length;
  }

  async take(): Promise<RandomPower> {
    // Inline (no crypto threads): making pairs ahead would only move the cost onto this request.
    if (this.pool().size === 0) {
      const exp = this.random();
      return { exp, pow: modPowN(2n, exp) };
    }
    for (;;) {
      const next = this.ready.shift();
      if (this.ready.length <= this.low) this.refill();
      if (next) return next;
      this.waiting++;
      try {
        await this.refilling;
      } finally {
        this.waiting--;
      }
      // The pool already retries a task whose thread died; a batch that still failed fails its takers.
      if (this.failure && this.ready.length === 0) throw this.failure;
    }
  }

  private refill(): void {
    if (this.refilling) return;
    const exps = Array.from({ length: Math.min(64, Math.max(this.batch, this.waiting + 1)) }, () => this.random());
    this.refilling = this.pool()
      .run(exps.map((e) => [2n, e] as const))
      .then(
        (results) => {
          this.failure = undefined;
          results.forEach((pow, i) => {
            if (typeof pow === 'bigint' && pow > 1n) this.ready.push({ exp: exps[i]!, pow });
          });
        },
        (e: unknown) => {
          this.failure = e instanceof Error ? e : new Error(String(e));
        },
      )
      .finally(() => {
        this.refilling = undefined;
      });
  }
}

/** The process's supply (one across Next's bundles, like the pool). */
export function randomPowers(): RandomPowers {
  const store = globalThis as { __porticoRandomPowers?: RandomPowers };
  store.__porticoRandomPowers ??= new RandomPowers(cryptoPool, () => randomExponent(32));
  return store.__porticoRandomPowers;
}
