import type { Compilable, CompiledQuery, QueryResult, RootOperationNode } from 'kysely';
import type { Db } from './index';
import { sqliteHandleNow } from './sqlite-direct';

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
  return { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, parameters };
}

export interface Prepared<A extends readonly Value[], O> {
  /** Every row. */
  all(db: Db, ...args: A): Promise<O[]>;
  /** The first row, or undefined. */
  first(db: Db, ...args: A): Promise<O | undefined>;
  /** For insert/update/delete without `returning`: rows affected. */
  run(db: Db, ...args: A): Promise<number>;
}

export function prepared<A extends readonly Value[], O>(build: (db: Db, ...args: A) => Compilable<O>): Prepared<A, O> {
  // The dialect's adapter is shared by a database handle and its transactions: one plan per dialect.
  const plans = new WeakMap<object, Plan>();
  const execute = async (db: Db, args: A): Promise<QueryResult<O>> => {
    const adapter = db.getExecutor().adapter;
    let plan = plans.get(adapter);
    if (!plan) {
      const marks = args.map((_, i) => `${MARK}${i}\u0000`) as unknown as A;
      plan = planOf(build(db, ...marks).compile(), args.length);
      plans.set(adapter, plan);
    }
    const p = plan;
    const parameters = p.parameters.map((x) => ('arg' in x ? args[x.arg] : x.constant));
    const sqlite = sqliteHandleNow(db);
    if (sqlite) {
      // What Kysely's SQLite connection does with a compiled query, without its mutex and async layers.
      const stmt = sqlite.prepare(p.sql);
      if (stmt.reader) return { rows: stmt.all(parameters) as O[] };
      return { rows: [], numAffectedRows: BigInt(stmt.run(parameters).changes) };
    }
    const compiled: CompiledQuery<O> = { sql: p.sql, query: p.query, queryId: p.queryId, parameters };
    return db.executeQuery(compiled);
  };
  return {
    all: async (db, ...args) => (await execute(db, args)).rows,
    first: async (db, ...args) => (await execute(db, args)).rows[0],
    run: async (db, ...args) => Number((await execute(db, args)).numAffectedRows ?? 0n),
  };
}

