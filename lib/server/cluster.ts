import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { superviseMetrics } from '../observability/cluster-metrics';
import { logger } from '../observability/logger';
import { surviveLostOutput } from './log-streams';

/**
 * PORTICO_PROCESSES=N (opt-in): N copies of Portico's server sharing the port (node:cluster), so a
 * second core serves requests, not only the crypto threads. The first process only supervises: it
 * loads neither Next nor the database, forks the workers, replaces one that dies, and on SIGTERM/SIGINT
 * passes the signal on and exits once every worker has finished its requests.
 *
 * Every worker opens the database itself: PostgreSQL, or the SQLite file in WAL mode with a busy
 * timeout, where writers from several processes take turns. Generated secrets and the demo are created
 * race-free (lib/config/secrets, the demo bootstrap), so workers may start together. Migrations are
 * too on PostgreSQL (Kysely's migrator holds an advisory lock), but on SQLite Kysely takes no lock:
 * workers migrating one fresh file together would each try to create the same tables. So with SQLite
 * the supervisor migrates the file once before it forks (the database layer only, still no Next), and
 * the workers find nothing left to do.
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
 * SQLite: migrate the file before any worker opens it. A setting that does not parse is left to the
 * workers, which stop the start with the message that names it; a migration that fails stops it here.
 */
async function migrateSqliteFirst(): Promise<void> {
  const { settings, ConfigError } = await import('../config/env');
  let s;
  try {
    s = settings();
  } catch (e) {
    if (e instanceof ConfigError) return;
    throw e;
  }
  if (s.databaseUrl) return;
  const { openDb } = await import('../db');
  try {
    // openDb migrates to the latest schema; the supervisor needs nothing more from the database.
    const db = await openDb({ sqlitePath: path.join(s.dataDir, 'portico.db') });
    await db.destroy();
  } catch (e) {
    console.error(`Portico: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  console.log('Portico: SQLite database migrated before starting the processes');
}

/**
 * Runs `serve` in this process (one process, or a cluster worker), or becomes the supervisor of
 * PORTICO_PROCESSES workers that each run it.
 */
export async function runProcesses(serve: () => Promise<void>): Promise<void> {
  const count = cluster.isPrimary ? processCount() : 1;
  if (!cluster.isPrimary || count === 1) return serve();
  surviveLostOutput();

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
  await migrateSqliteFirst();
  // A signal while migrating: nothing was forked, nothing to wait for.
  if (stopping) process.exit(0);
  for (let i = 0; i < count; i++) fork();
}
