/**
 * Which database the tests run on, apart from pool-server.ts so that Playwright specs can read it without
 * loading the engine (whose JSON translation imports Playwright's loader does not take).
 */
export const PG_ADMIN_URL = process.env.PORTICO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function testDbKind(): 'sqlite' | 'postgres' {
  return process.env.PORTICO_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}
