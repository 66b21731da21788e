/**
 * The better-sqlite3 handle behind a Kysely instance that openDb made, for lib/db/prepared.ts to run its
 * compiled statements on directly. Kysely's SQLite driver runs every query through an async mutex,
 * its connection provider and its result plugins: about 19 promises and 5 KB of garbage per statement,
 * while better-sqlite3 runs a statement synchronously. Alone that is cheap (2.5 µs per statement), but
 * once any AsyncLocalStorage has been entered (Portico's request context, Next's own) Node 20 runs hooks
 * for every promise: in paired in-process runs with four storages entered, as in the server, a sign-in's
 * main thread spent 0.2–0.45 ms less with this path (nothing measurable without the hooks).
 *
 * A Symbol.for key, not a WeakMap: Next's bundle and the server's bundle each carry a copy of lib/, and
 * a handle one opened is used by the other.
 */
const HANDLE = Symbol.for('portico.db.sqlite-handle');

export interface SqliteStatement {
  readonly reader: boolean;
  all(params: readonly unknown[]): unknown[];
  get(params: readonly unknown[]): unknown;
  run(params: readonly unknown[]): { changes: number };
}

export interface SqliteHandle {
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
}

export function attachSqliteHandle(db: object, handle: SqliteHandle): void {
  Object.defineProperty(db, HANDLE, { value: handle, enumerable: false });
}

/**
 * The handle, when a statement may run on it now: the instance is openDb's own (a Transaction is
 * another instance and has none), and no explicit transaction is open on the one connection. While one
 * is (a `db.transaction()` in another task, between its awaits), a statement run directly would join it
 * and share its rollback, so the caller takes Kysely's path, which waits for the transaction to end.
 */
export function sqliteHandleNow(db: object): SqliteHandle | undefined {
  const handle = (db as { [HANDLE]?: SqliteHandle })[HANDLE];
  return handle && !handle.inTransaction ? handle : undefined;
}
