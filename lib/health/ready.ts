import { sql } from 'kysely';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { runtime } from '../userpool/runtime';
import { hostedRuntime } from '../hosted/runtime';

/** Each probe gets this long; a load balancer's own check usually waits a few seconds. */
const PROBE_MS = 2000;

async function within(probe: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([probe().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ready means the engine started (migrations ran) and the database answers a query in time. */
export function databaseReady(timeoutMs = PROBE_MS): Promise<boolean> {
  return within(async () => {
    const { engine } = await runtime();
    await sql`select 1`.execute(engine.deps.db);
  }, timeoutMs);
}

/**
 * The user pool answers through the hosted front's own door (the SDK client, in-process or
 * PORTICO_POOL_ENDPOINT): one ListUserPools call, signed like every admin call, so bad admin
 * credentials or an unreachable pool endpoint show here rather than on the first sign-in.
 */
export function poolReady(timeoutMs = PROBE_MS): Promise<boolean> {
  return within(async () => {
    const rt = await hostedRuntime();
    await rt.cognito.send(new ListUserPoolsCommand({ MaxResults: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) });
  }, timeoutMs);
}

export interface Readiness {
  ok: boolean;
  database: 'ok' | 'unreachable';
  pool: 'ok' | 'unreachable';
}

export async function readiness(): Promise<Readiness> {
  const [db, pool] = await Promise.all([databaseReady(), poolReady()]);
  return { ok: db && pool, database: db ? 'ok' : 'unreachable', pool: pool ? 'ok' : 'unreachable' };
}
