import type { Locale } from './locales';
import { generatedResources } from './resources.generated';

/**
 * Every translation file, imported statically (lib/i18n/resources.generated.ts, written by
 * scripts/gen-locale-index.mjs) so each bundle carries them without reading the file system at run time.
 * Unit tests fail when the index is stale, a locale lacks a key or has a stray one.
 */
const english = generatedResources['en'] as Record<string, Record<string, unknown>>;
export type Namespace = 'common' | 'home' | 'errors' | 'admin' | 'logout' | 'demo' | 'hosted' | 'signup' | 'recovery' | 'account' | 'messages';
type Resources = Record<Locale, Record<Namespace, Record<string, unknown>>>;

export const resources = generatedResources as unknown as Resources;

export const namespaces = Object.keys(english).sort() as Namespace[];
