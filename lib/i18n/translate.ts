import i18next, { type i18n, type TFunction } from 'i18next';
import { defaultLocale, dirOf, locales, type Locale } from './locales';
import { namespaces, resources, type Namespace } from './resources';
import { localeFormatter } from './format';

/**
 * One i18next instance per process, initialised synchronously from the locale files (lib/i18n/resources.ts). Kept on
 * globalThis because Next loads this module once per bundle (stack-notes G11).
 */
const KEY = '__porticoI18n';
type Holder = { [KEY]?: i18n };

function instance(): i18n {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const inst = i18next.createInstance().use(localeFormatter);
    void inst.init({
      resources: resources(),
      supportedLngs: [...locales],
      fallbackLng: defaultLocale,
      ns: [...namespaces],
      defaultNS: 'common',
      initAsync: false,
      // React escapes; plain-HTML callers escape with escapeHtml. Double escaping would show &amp;.
      // alwaysFormat: every number (`{{count}}`) and date goes through Intl for the locale (format.ts).
      interpolation: { escapeValue: false, alwaysFormat: true },
      returnNull: false,
    });
    holder[KEY] = inst;
  }
  return holder[KEY];
}

export interface Translator {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  t: TFunction;
  /** The namespaces an unprefixed key is looked up in, in order (the first is the default). */
  ns?: readonly Namespace[];
  /**
   * What makes this translator's texts differ from the locale's own (a pool's or client's text
   * overrides, lib/i18n/overrides.ts), as a string; absent for the plain translator. Caches of rendered
   * pages key on it.
   */
  variant?: string;
}

/**
 * Plain lookups (a key, no options) by locale and namespaces. A page asks for dozens of fixed strings
 * and i18next resolves each anew (key parsing, fallbacks, the formatter); the resources never change
 * while the process runs. Bounded, since a key can be built from request data (an error code).
 */
const plainLookups = new Map<string, Map<string, string>>();
const MAX_PLAIN_LOOKUPS = 4000;

function memoized(fixed: TFunction, cache: Map<string, string>): TFunction {
  const t = (key: unknown, ...rest: unknown[]): unknown => {
    if (rest.length === 0 && typeof key === 'string') {
      const known = cache.get(key);
      if (known !== undefined) return known;
      const value: unknown = fixed(key);
      if (typeof value === 'string' && cache.size < MAX_PLAIN_LOOKUPS) cache.set(key, value);
      return value;
    }
    return (fixed as unknown as (...a: unknown[]) => unknown)(key, ...rest);
  };
  return Object.assign(t, fixed) as unknown as TFunction;
}

export function translator(locale: Locale, ns: Namespace | Namespace[] = 'common'): Translator {
  const list = Array.isArray(ns) ? ns : [ns];
  const id = `${locale}|${list.join(',')}`;
  let cache = plainLookups.get(id);
  if (!cache) plainLookups.set(id, (cache = new Map()));
  return { locale, dir: dirOf(locale), t: memoized(instance().getFixedT(locale, ns), cache), ns: list };
}
