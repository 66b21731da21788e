import type { Db } from '../db';

/**
 * A few seconds' memory of Portico's settings documents, which every hosted page view reads (text
 * overrides). Kept on globalThis (pages, route handlers and the custom server are separate bundles,
 * stack-notes G11) and per database handle, so tests with their own databases never see each other's.
 * The admin API forgets an entry when it writes it; another process sees the change within the TTL.
 */
export const SETTINGS_CACHE_TTL_MS = 5_000;

type Entry = { at: number; value: Promise<unknown> };
const KEY = '__porticoSettingsCache';
type Holder = { [KEY]?: WeakMap<object, Map<string, Entry>> };

function entries(db: Db): Map<string, Entry> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new WeakMap();
  let map = holder[KEY].get(db);
  if (!map) {
    map = new Map();
    holder[KEY].set(db, map);
  }
  return map;
}

export function cachedSetting<T>(db: Db, key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
  const map = entries(db);
  const hit = map.get(key);
  if (hit && now - hit.at < SETTINGS_CACHE_TTL_MS) return hit.value as Promise<T>;
  const value = load();
  map.set(key, { at: now, value });
  // A failed read is not remembered.
  value.catch(() => map.delete(key));
  return value;
}

export function forgetSetting(db: Db, key: string): void {
  entries(db).delete(key);
}
