import { createDiffieHellman, getDiffieHellman, randomBytes, type DiffieHellman } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { settings } from '../config/env';

/**
 * base^exp mod N for SRP's group (RFC 3526 group 15, g = 2), through OpenSSL (ARCHITECTURE.md, "Crypto
 * through OpenSSL"): a DiffieHellman object whose private key is set to the exponent gives
 * computeSecret(base) = base^exp mod N (stack-notes G23).
 *
 * `modPowN` runs on the calling thread. The `…Async` functions run on a small pool of worker threads so
 * that a sign-in's exponentiations (a few ms of CPU) do not hold up Node's one main thread, which also
 * renders pages and serves every other request. PORTICO_CRYPTO_THREADS sets the pool's size; 0 runs
 * the async functions on the calling thread.
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

/** null stands for modPowN's SrpError (a degenerate base). */
type JobResult = bigint | null;

function runInline(job: ModexpJob): JobResult {
  try {
    if (job.length === 2) return modPowN(job[0], job[1]);
    return modPowN(job[2] * modPowN(job[0], job[1]) + job[3], job[4]);
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
const { createDiffieHellman } = require('node:crypto');
const N = BigInt('0x' + workerData.primeHex);
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
  if (job.length === 2) return pow(job[0], job[1]);
  const inner = pow(job[0], job[1]);
  return inner === null ? null : pow(job[2] * inner + job[3], job[4]);
}
parentPort.on('message', (jobs) => parentPort.postMessage(jobs.map(run)));
`;

interface Task {
  jobs: readonly ModexpJob[];
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

export interface ModexpPoolStats {
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

export class ModexpPool {
  private readonly threads: Thread[] = [];
  /**
   * One FIFO for all threads: an idle thread takes the oldest task, then the least loaded thread below
   * `depth`, so a task waits behind at most depth − 1 others on a thread.
   */
  private readonly queue: Task[] = [];
  private restarts = 0;

  /** size 0: every task runs inline on the calling thread. */
  constructor(
    readonly size: number,
    readonly depth = DEFAULT_DEPTH,
  ) {}

  run(jobs: readonly ModexpJob[]): Promise<JobResult[]> {
    if (this.size === 0) {
      try {
        return Promise.resolve(jobs.map(runInline));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ jobs, resolve, reject, deaths: 0 });
      this.dispatch();
    });
  }

  stats(): ModexpPoolStats {
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
    for (const task of waiting) task.reject(new Error('modexp pool closed'));
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
      workerData: { primeHex: N_BYTES.toString('hex') },
      // No loaders or flags from the parent (tsx, vitest, --cpu-prof): the program is plain JavaScript.
      execArgv: [],
      name: 'portico-modexp',
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
    worker.on('exit', (code) => died(new Error(`modexp thread exited with code ${code}`)));
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
export function modexpPool(): ModexpPool {
  const store = globalThis as { __porticoModexpPool?: ModexpPool };
  store.__porticoModexpPool ??= new ModexpPool(defaultThreadCount());
  return store.__porticoModexpPool;
}

function unwrap(result: JobResult): bigint {
  if (result === null) throw new SrpError('degenerate base');
  return result;
}

/** modPowN on the crypto threads; rejects with SrpError where modPowN throws it. */
export async function modPowNAsync(base: bigint, exp: bigint): Promise<bigint> {
  const [result] = await modexpPool().run([[base, exp]]);
  return unwrap(result!);
}

/** Several independent exponentiations in one round trip (one thread computes them in turn). */
export async function modPowNBatchAsync(pairs: readonly (readonly [bigint, bigint])[]): Promise<bigint[]> {
  const results = await modexpPool().run(pairs);
  return results.map(unwrap);
}

/**
 * modPowN((mul · modPowN(base, exp) + add) mod N, exp2) in one round trip; SrpError when either base is
 * degenerate.
 */
export async function modPowChainAsync(base: bigint, exp: bigint, mul: bigint, add: bigint, exp2: bigint): Promise<bigint> {
  const [result] = await modexpPool().run([[base, exp, mul, add, exp2]]);
  return unwrap(result!);
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
    private readonly pool: () => ModexpPool,
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
            if (pow !== null && pow > 1n) this.ready.push({ exp: exps[i]!, pow });
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

function randomExponent256(): bigint {
  return BigInt(`0x${randomBytes(32).toString('hex')}`);
}

/** The process's supply (one across Next's bundles, like the pool). */
export function randomPowers(): RandomPowers {
  const store = globalThis as { __porticoRandomPowers?: RandomPowers };
  store.__porticoRandomPowers ??= new RandomPowers(modexpPool, randomExponent256);
  return store.__porticoRandomPowers;
}
