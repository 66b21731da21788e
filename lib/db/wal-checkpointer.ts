import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../config/project-root';

/**
 * SQLite's WAL checkpoints on a thread of their own. A commit that finds the log past
 * `wal_autocheckpoint` pages checkpoints it there and then, on the thread that committed: copies the
 * log's pages into the database file and waits for two fsyncs. On the server that thread is the one
 * that runs every request, so under load every in-flight sign-in waited for the disk about once a
 * second (bench/stalls.ts: 35 pauses of 20–28 ms in 40 s, the main thread blocked in system calls).
 *
 * Here a worker thread with its own connection runs a PASSIVE checkpoint every `intervalMs`. PASSIVE
 * waits for no reader or writer: the main connection goes on committing to the log meanwhile, and once
 * the log is all copied its next commit starts the log over, as after any checkpoint. With nothing new
 * in the log a checkpoint does no I/O. The main connection keeps a much larger `wal_autocheckpoint`
 * (SAFETY_NET_PAGES) only as a bound should this thread stop or fall behind; should the thread fail to
 * start, `onFailure` gives the caller the chance to restore the usual setting.
 */
export const CHECKPOINT_INTERVAL_MS = 1000;

/** The main connection's own limit while the checkpointer runs: ~80 MB of log (4 KB pages). */
export const SAFETY_NET_PAGES = 20_000;

export interface WalCheckpointer {
  /** Stops the thread (its connection closes with it). */
  stop(): Promise<void>;
}

/**
 * The thread's program, evaluated as a script so no bundler has to find a file for it; the path of
 * better-sqlite3 comes from the main thread, which resolves it from the project (a script run with
 * `eval` resolves modules from the working directory, which need not be the project).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Sqlite = require(workerData.modulePath);
const db = new Sqlite(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', ...result });
  } catch {
    // SQLITE_BUSY and the like: the next turn tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export interface CheckpointResult {
  /** 1 when another checkpoint held the lock (another process's thread). */
  busy: number;
  /** Frames in the log, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  /** The thread could not start or died: the caller's connection must checkpoint for itself again. */
  onFailure: (error: Error) => void;
  /** Each checkpoint's outcome (tests, benchmarks). */
  onCheckpoint?: (result: CheckpointResult) => void;
}

function betterSqlitePath(): string {
  return createRequire(path.join(projectRoot(), 'package.json')).resolve('better-sqlite3');
}

function describe(e: unknown): string {
  if (e && typeof e === 'object') {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return [code, message].filter((v) => typeof v === 'string').join(' ') || 'unknown error';
  }
  return String(e);
}

export function startWalCheckpointer(file: string, o: CheckpointerOptions): WalCheckpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, modulePath: betterSqlitePath(), intervalMs: o.intervalMs ?? CHECKPOINT_INTERVAL_MS },
    // Its own small heap: it holds a connection and a timer.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  // A checkpointer never keeps the process alive.
  worker.unref();
  let stopping = false;
  // An uncaught error is followed by an exit: the caller hears of the first only.
  const fail = (e: Error) => {
    if (stopping) return;
    stopping = true;
    o.onFailure(e);
  };
  worker.on('message', (m: { type: string } & Partial<CheckpointResult>) => {
    if (m.type === 'checkpoint') o.onCheckpoint?.({ busy: m.busy ?? 0, log: m.log ?? 0, checkpointed: m.checkpointed ?? 0 });
  });
  // better-sqlite3's errors cross the thread boundary as plain objects ({ code } only).
  worker.on('error', (e: unknown) => fail(e instanceof Error ? e : new Error(`the WAL checkpointer failed: ${describe(e)}`)));
  worker.on('exit', (code) => fail(new Error(`the WAL checkpointer stopped (exit code ${code})`)));
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
      await worker.terminate();
    },
  };
}
