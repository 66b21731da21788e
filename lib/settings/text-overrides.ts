import type { Db } from '../db';
import type { Translator } from '../i18n/translate';
import { mergeOverrides, withOverrides, type TextOverrides } from '../i18n/overrides';
import { readClientSettings } from './client-settings';
import { cachedPoolSettings } from './pool-settings';
import { cachedSetting, forgetSetting } from './settings-cache';

/**
 * The text overrides a hosted page applies: the client's over the pool's over the translation, for the
 * page's locale. Settings are read through the short cache (a page view reads them every time).
 */
export interface OverrideScope {
  poolId?: string;
  clientId?: string;
}

const clientKey = (clientId: string) => `client:${clientId}`;

export function cachedClientSettings(db: Db, clientId: string) {
  return cachedSetting(db, clientKey(clientId), () => readClientSettings(db, clientId));
}

/** The admin API calls this after writing a client's settings, so this process shows them at once. */
export function forgetClientSettings(db: Db, clientId: string): void {
  forgetSetting(db, clientKey(clientId));
}

export async function textOverrides(db: Db, tr: Pick<Translator, 'locale'>, scope: OverrideScope): Promise<TextOverrides> {
  const [pool, client] = await Promise.all([
    scope.poolId ? cachedPoolSettings(db, scope.poolId) : undefined,
    scope.clientId ? cachedClientSettings(db, scope.clientId) : undefined,
  ]);
  return mergeOverrides(tr.locale, pool?.text, client?.text);
}

/** `tr` with the scope's overrides consulted first. */
export async function overriddenTranslator(db: Db, tr: Translator, scope: OverrideScope): Promise<Translator> {
  return withOverrides(tr, await textOverrides(db, tr, scope));
}
