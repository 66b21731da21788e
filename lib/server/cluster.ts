import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { z } from 'zod';
import { superviseMetrics } from '../observability/cluster-metrics';
import { logger } from '../observability/logger';

/**
 * PORTICO_PROCESSES=N (opt-in): N copies of Portico's server sharing the port (node:cluster), so a
 * second core serves requests, not only the crypto threads. The first process only supervises: it
 * loads neither Next nor the database, forks the workers, replaces one that dies, and on SIGTERM/SIGINT
 * passes the signal on and exits once every worker has finished its requests.
 *
 * Every worker opens the database itself: PostgreSQL, or the SQLite file in WAL mode with a busy
 * timeout, where writers from several processes take turns. Generated secrets and the demo are created
 * race-free (lib/config/secrets, the demo bootstrap), so workers may start together.
 */
const Processes = z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64');
const RESTART_DELAY_MS = 1_000;

/** The configured process count, or exits with a message naming the setting (like lib/config/env). */
function processCount(): number {
  const raw = process.env.PORTICO_PROCESSES?.trim();
  if (!raw) return 1;
  const parsed = Processes.safeParse(raw);
  if (!parsed.success) {
    console.error(`PORTICO_PROCESSES: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    process.exit(1);
  }
  return parsed.data;
}

/**
 * Runs `serve` in this process (one process, or a cluster worker), or becomes the supervisor of
 * PORTICO_PROCESSES workers that each run it.
 */
export async function runProcesses(serve: () => Promise<void>): Promise<void> {
  const count = cluster.isPrimary ? processCount() : 1;
  if (!cluster.isPrimary || count === 1) return serve();

  // N processes × a crypto thread per CPU would oversubscribe the cores; share them out unless set.
  const threads = process.env.PORTICO_CRYPTO_THREADS?.trim() ? {} : { PORTICO_CRYPTO_THREADS: String(Math.max(1, Math.floor(os.availableParallelism() / count))) };
  let stopping = false;
  const listening = new Set<number>();
  const fork = () => cluster.fork(threads);

  cluster.on('listening', (worker: Worker) => {
    listening.add(worker.id);
    if (listening.size === count) console.log(`Portico: ${count} processes serving`);
  });
  cluster.on('exit', (worker: Worker, code, signal) => {
    const served = listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    // A worker that never listened failed to start (a bad setting, the port taken): the others will too.
    if (!served) {
      console.error(`Portico: a process exited before serving (${signal ?? `code ${code}`}); stopping`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    logger().error({ workerPid: worker.process.pid, code, signal }, 'process died, starting another');
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS).unref();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // Each worker finishes its requests in flight (lib/server/main.ts) and exits.
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  superviseMetrics();
  for (let i = 0; i < count; i++) fork();
}
