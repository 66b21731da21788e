import type { Db } from '../db';
import type { Translator } from '../i18n/translate';
import { mergeOverrides, withOverrides, type TextOverrides } from '../i18n/overrides';
import { readClientSettings } from './client-settings';
import { readPoolSettings } from './pool-settings';

/**
 * The text overrides a hosted page applies: the client's over the pool's over the translation, for the
 * page's locale. Both documents come from memory (lib/db/config-cache.ts): a page view reads them every time.
 */
export interface OverrideScope {
  poolId?: string;
  clientId?: string;
}

export async function textOverrides(db: Db, tr: Pick<Translator, 'locale'>, scope: OverrideScope): Promise<TextOverrides> {
  const [pool, client] = await Promise.all([
    scope.poolId ? readPoolSettings(db, scope.poolId) : undefined,
    scope.clientId ? readClientSettings(db, scope.clientId) : undefined,
  ]);
  return mergeOverrides(tr.locale, pool?.text, client?.text);
}

/** `tr` with the scope's overrides consulted first. */
export async function overriddenTranslator(db: Db, tr: Translator, scope: OverrideScope): Promise<Translator> {
  return withOverrides(tr, await textOverrides(db, tr, scope));
}
