import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase } from '../helpers/fresh-db';
import type { Db } from '../../lib/db';
import { CHECK_INTERVAL_MS, CONFIG_TABLES } from '../../lib/db/config-cache';
import { prepared } from '../../lib/db/prepared';
import { deletePoolSettings, readPoolSettings, writePoolSettings } from '../../lib/settings/pool-settings';
import { readClientSettings, writeClientSettings } from '../../lib/settings/client-settings';
import { readThemes, writeTheme } from '../../lib/branding/theme-store';
import { brandingDb } from '../../lib/branding/tables';
import { findPool } from '../../lib/userpool/pools';
import type { EngineDeps } from '../../lib/userpool/context';

/**
 * lib/db/config-cache.ts on the suite's database (SQLite, or PostgreSQL with PORTICO_TEST_DB=postgres):
 * the triggers that count changes to the kept tables, a write through the handle seen at once (builder,
 * transaction, prepared statement), and a write by another handle — another process — seen at the
 * first read after CHECK_INTERVAL_MS.
 */
let db: Db;
let other: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshDatabase({ pgPrefix: 'portico_cfg', sqliteFile: 'config.db' });
  db = fresh.db;
  drop = fresh.drop;
  other = await fresh.another();
});
afterAll(async () => {
  await other?.destroy();
  await drop?.();
});

const version = async (d: Db) => Number((await d.selectFrom('config_version').select('n').where('id', '=', 1).executeTakeFirstOrThrow()).n);
const pastTheInterval = () => new Promise((r) => setTimeout(r, CHECK_INTERVAL_MS + 20));
const poolDeps = (d: Db) => ({ db: d }) as unknown as EngineDeps;

describe('the change count', () => {
  it('moves with every insert, update and delete on each kept table, and not with other writes', async () => {
    const now = Date.now();
    const writes: Record<string, { insert: () => Promise<unknown>; update: () => Promise<unknown>; remove: () => Promise<unknown> }> = {
      pools: {
        insert: () => other.insertInto('pools').values({ id: 'eu-west-1_count', name: 'count', config: '{}', created_at: now, updated_at: now }).execute(),
        update: () => other.updateTable('pools').set({ name: 'counted' }).where('id', '=', 'eu-west-1_count').execute(),
        remove: () => other.deleteFrom('pools').where('id', '=', 'eu-west-1_count').execute(),
      },
      clients: {
        insert: () =>
          other.insertInto('clients').values({ client_id: 'countclient', pool_id: 'eu-west-1_count', client_name: 'c', secret_enc: null, config: '{}', created_at: now, updated_at: now }).execute(),
        update: () => other.updateTable('clients').set({ client_name: 'd' }).where('client_id', '=', 'countclient').execute(),
        remove: () => other.deleteFrom('clients').where('client_id', '=', 'countclient').execute(),
      },
      client_settings: {
        insert: () => other.insertInto('client_settings').values({ client_id: 'countclient', settings: '{}', updated_at: now }).execute(),
        update: () => other.updateTable('client_settings').set({ settings: '{"requirePkce":true}' }).where('client_id', '=', 'countclient').execute(),
        remove: () => other.deleteFrom('client_settings').where('client_id', '=', 'countclient').execute(),
      },
      pool_settings: {
        insert: () => other.insertInto('pool_settings').values({ pool_id: 'eu-west-1_count', settings: '{}', updated_at: now }).execute(),
        update: () => other.updateTable('pool_settings').set({ updated_at: now + 1 }).where('pool_id', '=', 'eu-west-1_count').execute(),
        remove: () => other.deleteFrom('pool_settings').where('pool_id', '=', 'eu-west-1_count').execute(),
      },
      branding_themes: {
        insert: () => brandingDb(other).insertInto('branding_themes').values({ scope: 'pool', subject: 'eu-west-1_count', document: '{}', updated_at: now }).execute(),
        update: () => brandingDb(other).updateTable('branding_themes').set({ updated_at: now + 1 }).where('subject', '=', 'eu-west-1_count').execute(),
        remove: () => brandingDb(other).deleteFrom('branding_themes').where('subject', '=', 'eu-west-1_count').execute(),
      },
    };
    expect(Object.keys(writes).sort()).toEqual([...CONFIG_TABLES].sort());
    for (const [table, w] of Object.entries(writes)) {
      for (const step of [w.insert, w.update, w.remove]) {
        const before = await version(db);
        await step();
        expect(await version(db), `${table}: ${step.toString()}`).toBeGreaterThan(before);
      }
    }
    const before = await version(db);
    await other.insertInto('rate_limits').values({ key: 'count', count: 1, window_start: now, expires_at: now + 60_000 }).execute();
    await other.updateTable('rate_limits').set({ count: 2 }).where('key', '=', 'count').execute();
    expect(await version(db)).toBe(before);
  });
});

describe('a write through the same handle', () => {
  it('shows at the next read, with no wait: builder writes, an absent row that appears, a delete', async () => {
    expect(await readPoolSettings(db, 'eu-west-1_same')).toBeUndefined();
    await writePoolSettings(db, 'eu-west-1_same', { text: { en: { 'hosted:login.title': 'One' } } }, 1);
    expect((await readPoolSettings(db, 'eu-west-1_same'))?.text?.en).toEqual({ 'hosted:login.title': 'One' });
    await writePoolSettings(db, 'eu-west-1_same', { text: { en: { 'hosted:login.title': 'Two' } } }, 2);
    expect((await readPoolSettings(db, 'eu-west-1_same'))?.text?.en).toEqual({ 'hosted:login.title': 'Two' });
    await deletePoolSettings(db, 'eu-west-1_same');
    expect(await readPoolSettings(db, 'eu-west-1_same')).toBeUndefined();
  });

  it('inside a transaction: the committed row shows at once', async () => {
    await writeClientSettings(db, 'txclient', { requirePkce: false }, 1);
    expect(await readClientSettings(db, 'txclient')).toEqual({ requirePkce: false });
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('client_settings').set({ settings: '{"requirePkce":true}' }).where('client_id', '=', 'txclient').execute();
      // A read in the transaction sees the transaction's row, not the kept one.
      expect(await readClientSettings(tx, 'txclient')).toEqual({ requirePkce: true });
    });
    expect(await readClientSettings(db, 'txclient')).toEqual({ requirePkce: true });
  });

  it('through a prepared statement (on SQLite it runs without Kysely and its plugins)', async () => {
    const now = Date.now();
    await db.insertInto('pools').values({ id: 'eu-west-1_prep', name: 'before', config: '{}', created_at: now, updated_at: now }).execute();
    expect((await findPool(poolDeps(db), 'eu-west-1_prep'))?.name).toBe('before');
    const rename = prepared((d: Db, id: string, name: string) => d.updateTable('pools').set({ name }).where('id', '=', id));
    expect(await rename.run(db, 'eu-west-1_prep', 'after')).toBe(1);
    expect((await findPool(poolDeps(db), 'eu-west-1_prep'))?.name).toBe('after');
    // The first run compiled the statement (through the plugin); later runs do not.
    expect(await rename.run(db, 'eu-west-1_prep', 'again')).toBe(1);
    expect((await findPool(poolDeps(db), 'eu-west-1_prep'))?.name).toBe('again');
  });
});

describe('a write by another handle (another process)', () => {
  it('shows at the first read after the interval: a changed row, a new row, a removed row', async () => {
    const now = Date.now();
    await other.insertInto('pools').values({ id: 'eu-west-1_other', name: 'first', config: '{}', created_at: now, updated_at: now }).execute();
    await pastTheInterval();
    expect((await findPool(poolDeps(db), 'eu-west-1_other'))?.name).toBe('first');
    expect(await readThemes(db, 'eu-west-1_other', 'otherclient')).toEqual({ pool: undefined, client: undefined });

    await other.updateTable('pools').set({ name: 'second' }).where('id', '=', 'eu-west-1_other').execute();
    await writeTheme(other, 'client', 'otherclient', { cornerRadius: 4 }, now);
    await pastTheInterval();
    expect((await findPool(poolDeps(db), 'eu-west-1_other'))?.name).toBe('second');
    expect((await readThemes(db, 'eu-west-1_other', 'otherclient')).client).toBeDefined();

    await other.deleteFrom('pools').where('id', '=', 'eu-west-1_other').execute();
    await pastTheInterval();
    expect(await findPool(poolDeps(db), 'eu-west-1_other')).toBeUndefined();
  });

  it('a raw statement from another handle counts too (the triggers, not Portico, count)', async () => {
    await writePoolSettings(db, 'eu-west-1_raw', { text: { en: { 'hosted:login.title': 'Kept' } } }, 1);
    expect((await readPoolSettings(db, 'eu-west-1_raw'))?.text?.en).toEqual({ 'hosted:login.title': 'Kept' });
    await sql`UPDATE pool_settings SET settings = ${'{"text":{"en":{"hosted:login.title":"Raw"}}}'} WHERE pool_id = ${'eu-west-1_raw'}`.execute(other);
    await pastTheInterval();
    expect((await readPoolSettings(db, 'eu-west-1_raw'))?.text?.en).toEqual({ 'hosted:login.title': 'Raw' });
  });
});
