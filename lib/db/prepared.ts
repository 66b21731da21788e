import type { Compilable, CompiledQuery, QueryResult, RootOperationNode } from 'kysely';
import type { Db } from './index';
import { sqliteHandleNow, type SqliteHandle, type SqliteStatement } from './sqlite-direct';
import { configWritten, writesConfig } from './config-cache';
import { isPostgresDb } from './dialect';
import { failedClaim, oneStatement, type BatchStatement } from './pg-batch';
import { writtenTables } from './written-table';

/**
 * A query built and compiled once per SQL dialect, then run with new values. Kysely builds every query
 * as a fresh immutable tree and compiles it to SQL on each call; on a sign-in's thirty-odd queries that
 * cost about as much CPU as SQLite's own work (bench/in-process.ts). Here the builder runs once with
 * marker values standing in for the arguments; the compiled SQL is kept and each call only fills in its
 * parameters.
 *
 * On SQLite the statement then runs on better-sqlite3 directly (./sqlite-direct.ts) unless a transaction
 * is open; on PostgreSQL, and inside transactions, it goes through Kysely as before.
 *
 * Only for fixed-shape queries whose arguments are plain values passed straight into the query (no lists
 * for `in`, no identifiers, nothing computed from an argument inside `build`): the first compile checks
 * that every argument came out as exactly one whole parameter and throws otherwise.
 */
export type Value = string | number | bigint | boolean | null;

interface Plan {
  sql: string;
  query: RootOperationNode;
  queryId: CompiledQuery['queryId'];
  /** Per parameter: the index of the argument it takes, or a constant the builder put there. */
  parameters: ({ arg: number } | { constant: unknown })[];
  /** It writes a table lib/db/config-cache.ts keeps: each run drops the cache (the direct path has no plugins). */
  config: boolean;
  /** The one table it writes (for pg-batch.ts), or undefined. */
  table: string | undefined;
}

const MARK = '\u0000portico-prepared-';

function planOf(compiled: CompiledQuery, argCount: number): Plan {
  const used = new Set<number>();
  const parameters = compiled.parameters.map((p) => {
    if (typeof p === 'string' && p.includes(MARK)) {
      const m = new RegExp(`^${MARK}(\\d+)\\u0000$`).exec(p);
      if (!m) throw new Error(`prepared query: an argument was changed inside the builder (${compiled.sql})`);
      used.add(Number(m[1]));
      return { arg: Number(m[1]) };
    }
    return { constant: p };
  });
  if (used.size !== argCount) throw new Error(`prepared query: ${argCount - used.size} argument(s) did not become parameters (${compiled.sql})`);
  const tables = writtenTables(compiled.query);
  return {
    sql: compiled.sql,
    query: compiled.query,
    queryId: compiled.queryId,
    parameters,
    config: writesConfig(compiled.query),
    table: tables.length === 1 ? tables[0] : undefined,
  };
}

export interface Prepared<A extends readonly Value[], O> {
  /** Every row. */
  all(db: Db, ...args: A): Promise<O[]>;
  /** The first row, or undefined. */
  first(db: Db, ...args: A): Promise<O | undefined>;
  /** For insert/update/delete without `returning`: rows affected. */
  run(db: Db, ...args: A): Promise<number>;
  /** This statement with these values, for writeAll. */
  write(...args: A): Write;
  /**
   * The same, for a statement that must change a row (a delete or update that consumes something):
   * changing none abandons the whole writeAll batch with NothingToClaim, and nothing in it is written.
   */
  claim(...args: A): Write;
}

/** A claim in a writeAll batch changed no row (someone else consumed it first); the batch was rolled back. */
export class NothingToClaim extends Error {
  constructor(sql: string) {
    super(`nothing to claim (${sql})`);
    this.name = 'NothingToClaim';
  }
}

/** One statement of a writeAll batch. */
export interface Write {
  /** On SQLite's handle, now (inside the transaction writeAll opened there). */
  now(db: Db, handle: SqliteHandle): void;
  /** Through Kysely (PostgreSQL, or on SQLite while another task's transaction is open). */
  later(tx: Db): Promise<unknown>;
  /** Its SQL and values, for one statement of several (PostgreSQL, ./pg-batch.ts). */
  statement(db: Db): BatchStatement;
}

/**
 * Several writes as one transaction. On SQLite, when no transaction is open, it runs start to end on
 * better-sqlite3 without yielding, so nothing else can run inside it: no Kysely transaction (its mutex,
 * BEGIN and COMMIT as queries, each statement through its driver) and no other task's statement sent the
 * slow way meanwhile. On PostgreSQL, writes to different tables go as one statement (./pg-batch.ts), and
 * a single write alone. Otherwise a Kysely transaction, the statements in order.
 */
export async function writeAll(db: Db, writes: readonly Write[]): Promise<void> {
  if (writes.length === 0) return;
  const sqlite = sqliteHandleNow(db);
  if (sqlite && writes.length === 1) {
    // One statement is a transaction of its own.
    writes[0]!.now(db, sqlite);
    return;
  }
  if (sqlite) {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      for (const w of writes) w.now(db, sqlite);
      sqlite.exec('COMMIT');
    } catch (e) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw e;
    }
    return;
  }
  if (isPostgresDb(db)) {
    if (writes.length === 1) {
      await writes[0]!.later(db);
      return;
    }
    const statements = writes.map((w) => w.statement(db));
    const one = oneStatement(statements);
    if (one) {
      try {
        await db.executeQuery(one);
      } catch (e) {
        const claim = failedClaim(e);
        throw claim === undefined ? e : new NothingToClaim(statements[claim]!.sql);
      }
      return;
    }
  }
  await db.transaction().execute(async (tx) => {
    for (const w of writes) await w.later(tx);
  });
}

export function prepared<A extends readonly Value[], O>(build: (db: Db, ...args: A) => Compilable<O>): Prepared<A, O> {
  // The dialect's adapter is shared by a database handle and its transactions: one plan per dialect.
  const plans = new WeakMap<object, Plan>();
  const planFor = (db: Db, args: A): Plan => {
    const adapter = db.getExecutor().adapter;
    let plan = plans.get(adapter);
    if (!plan) {
      const marks = args.map((_, i) => `${MARK}${i}\u0000`) as unknown as A;
      plan = planOf(build(db, ...marks).compile(), args.length);
      plans.set(adapter, plan);
    }
    if (plan.config) configWritten(db);
    return plan;
  };
  const parametersOf = (p: Plan, args: A) => p.parameters.map((x) => ('arg' in x ? args[x.arg] : x.constant));
  const statementOf = (p: Plan, args: A, claim: boolean): BatchStatement => ({ sql: p.sql, parameters: parametersOf(p, args), claim, table: p.table });
  const viaKysely = (db: Db, p: Plan, args: A): Promise<QueryResult<O>> =>
    db.executeQuery<O>({ sql: p.sql, query: p.query, queryId: p.queryId, parameters: parametersOf(p, args) });
  /**
   * On SQLite outside a transaction the statement runs now, on better-sqlite3, as Kysely's SQLite
   * connection would run it, and the caller gets one settled promise: a sign-in runs about thirty of
   * these, and every promise costs a hook call per entered AsyncLocalStorage (sqlite-direct.ts).
   */
  const run = <R>(db: Db, args: A, direct: (stmt: SqliteStatement, parameters: unknown[]) => R, kysely: (r: QueryResult<O>) => R): Promise<R> => {
    try {
      const p = planFor(db, args);
      const sqlite = sqliteHandleNow(db);
      if (sqlite) return Promise.resolve(direct(sqlite.prepare(p.sql), parametersOf(p, args)));
      return viaKysely(db, p, args).then(kysely);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    all: (db, ...args) => run(db, args, (stmt, params) => (stmt.reader ? (stmt.all(params) as O[]) : (stmt.run(params), [])), (r) => r.rows),
    first: (db, ...args) => run(db, args, (stmt, params) => (stmt.reader ? (stmt.get(params) as O | undefined) : (stmt.run(params), undefined)), (r) => r.rows[0]),
    run: (db, ...args) => run(db, args, (stmt, params) => (stmt.reader ? (stmt.all(params), 0) : stmt.run(params).changes), (r) => Number(r.numAffectedRows ?? 0n)),
    write: (...args) => ({
      now: (db, handle) => {
        const p = planFor(db, args);
        handle.prepare(p.sql).run(parametersOf(p, args));
      },
      later: (tx) => viaKysely(tx, planFor(tx, args), args),
      statement: (db) => statementOf(planFor(db, args), args, false),
    }),
    claim: (...args) => ({
      now: (db, handle) => {
        const p = planFor(db, args);
        if (handle.prepare(p.sql).run(parametersOf(p, args)).changes === 0) throw new NothingToClaim(p.sql);
      },
      later: async (tx) => {
        const p = planFor(tx, args);
        const r = await viaKysely(tx, p, args);
        if (Number(r.numAffectedRows ?? 0n) === 0) throw new NothingToClaim(p.sql);
      },
      statement: (db) => statementOf(planFor(db, args), args, true),
    }),
  };
}
