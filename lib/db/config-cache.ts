import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Db } from './index';
import { writtenTables } from './written-table';

/**
 * Rows that every sign-in reads and almost nothing writes (a pool's configuration, an app client,
 * Portico's settings and themes), kept in memory per database handle. On PostgreSQL each of those reads
 * is a round trip; a sign-in made ~7 of its ~30 on them (bench/in-process.ts).
 *
 * When a kept row may be out of date:
 * - Written through this handle (any Kysely write to a CONFIG_TABLES table, or a prepared one): never.
 *   The plugin below drops everything before the statement runs and again once it has. In a transaction
 *   on PostgreSQL, a read on another connection between the write and the commit still sees the old row
 *   and may keep it: until the next check, as for another process's write.
 * - Written by another process (a second instance, PORTICO_PROCESSES, a tool on the database): for at
 *   most CHECK_INTERVAL_MS. Triggers on those tables count every change in config_version (migration
 *   0210); the first read after the interval reads that count (one small row) and drops everything when
 *   it moved.
 * A read that started before a drop is not kept (the generation moved), so it cannot bring back a row
 * older than the drop. Reads inside a transaction skip the cache: they must see the transaction's view.
 *
 * Absent rows are kept too (most clients have no settings document or theme); MAX_ENTRIES bounds what
 * unknown ids can fill. Callers treat what they get as read-only: the same object comes back each time.
 * The state hangs on the handle by Symbol.for: Next's bundles and the server's each carry lib/.
 */
export const CONFIG_TABLES: ReadonlySet<string> = new Set(['pools', 'clients', 'client_settings', 'pool_settings', 'branding_themes']);
export const CHECK_INTERVAL_MS = 200;
const MAX_ENTRIES = 5_000;

const STATE = Symbol.for('portico.db.config-cache');

interface CacheState {
  generation: number;
  readonly rows: Map<string, unknown>;
  checkedAt: number;
  seenVersion: number | undefined;
  checking: Promise<void> | undefined;
  readonly now: () => number;
  readonly version: VersionReader;
}

type Holder = { [STATE]?: CacheState };

function stateOf(db: object): CacheState | undefined {
  return (db as Holder)[STATE];
}

/** Drops every kept row and refuses the reads in flight. */
function drop(state: CacheState): void {
  state.generation++;
  state.rows.clear();
}

/** Whether a statement inserts, updates or deletes rows of a configuration table. */
export function writesConfig(node: RootOperationNode): boolean {
  return writtenTables(node).some((t) => CONFIG_TABLES.has(t));
}

/** A write to a configuration table went through this handle (or a transaction of it). */
export function configWritten(db: object): void {
  const state = stateOf(db);
  if (state) drop(state);
}

/**
 * Sees every statement a handle and its transactions compile. A write to a configuration table drops
 * the cache before it runs and again after, so a read that raced it is not kept.
 */
class ConfigWritePlugin implements KyselyPlugin {
  private readonly writes = new WeakSet<object>();
  constructor(private readonly state: CacheState) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (writesConfig(args.node)) {
      drop(this.state);
      this.writes.add(args.queryId);
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.writes.has(args.queryId)) drop(this.state);
    return Promise.resolve(args.result);
  }
}

/** How a handle reads the change count the triggers keep (openDb passes a prepared query). */
export type VersionReader = (db: Db) => Promise<number>;

export interface ConfigCache {
  /** For the handle's `plugins`. */
  readonly plugin: KyselyPlugin;
  /** Once the handle exists: its reads may use the cache from then on. */
  attach(db: object): void;
}

/** A cache for one database handle. `version` reads config_version.n. */
export function newConfigCache(version: VersionReader, now: () => number = () => performance.now()): ConfigCache {
  const state: CacheState = { generation: 0, rows: new Map(), checkedAt: -Infinity, seenVersion: undefined, checking: undefined, now, version };
  return {
    plugin: new ConfigWritePlugin(state),
    attach: (db) => Object.defineProperty(db, STATE, { value: state, enumerable: false }),
  };
}

function check(db: Db, state: CacheState): Promise<void> {
  state.checking ??= (async () => {
    try {
      const startedAt = state.now();
      const version = await state.version(db);
      if (version !== state.seenVersion) {
        drop(state);
        state.seenVersion = version;
      }
      state.checkedAt = startedAt;
    } finally {
      state.checking = undefined;
    }
  })();
  return state.checking;
}

async function loadAndKeep<T>(db: Db, state: CacheState, key: string, load: () => Promise<T>): Promise<T> {
  if (state.now() - state.checkedAt >= CHECK_INTERVAL_MS) await check(db, state);
  const kept = state.rows.get(key);
  if (kept !== undefined || state.rows.has(key)) return kept as T;
  const generation = state.generation;
  const value = await load();
  if (state.generation === generation) {
    if (state.rows.size >= MAX_ENTRIES) state.rows.delete(state.rows.keys().next().value!);
    state.rows.set(key, value);
  }
  return value;
}

/**
 * The row (or whatever `load` makes of it) that `key` names, from memory when it may be kept there.
 * `key` must name everything `load` reads: the table, the query and its arguments.
 */
export function cachedConfig<T>(db: Db, key: string, load: () => Promise<T>): Promise<T> {
  const state = stateOf(db);
  if (!state || db.isTransaction) return load();
  // The common case without an async function: a kept row and no check due.
  if (state.now() - state.checkedAt < CHECK_INTERVAL_MS && state.rows.has(key)) return Promise.resolve(state.rows.get(key) as T);
  return loadAndKeep(db, state, key, load);
}
