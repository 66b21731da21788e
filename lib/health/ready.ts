import { sql } from 'kysely';
import { runtime } from '../userpool/runtime';

/** Ready means the engine started (migrations ran) and the database answers a query in time. */
export async function databaseReady(timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = (async () => {
    const { engine } = await runtime();
    await sql`select 1`.execute(engine.deps.db);
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
