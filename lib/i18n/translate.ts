import i18next, { type i18n, type TFunction } from 'i18next';
import { defaultLocale, dirOf, locales, type Locale } from './locales';
import { namespaces, resources, type Namespace } from './resources';
import { localeFormatter } from './format';

/**
 * One i18next instance per process, initialised synchronously from bundled resources. Kept on
 * globalThis because Next loads this module once per bundle (stack-notes G11).
 */
const KEY = '__porticoI18n';
type Holder = { [KEY]?: i18n };

function instance(): i18n {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const inst = i18next.createInstance().use(localeFormatter);
    void inst.init({
      resources,
      supportedLngs: [...locales],
      fallbackLng: defaultLocale,
      ns: namespaces,
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
}

export function translator(locale: Locale, ns: Namespace | Namespace[] = 'common'): Translator {
  return { locale, dir: dirOf(locale), t: instance().getFixedT(locale, ns), ns: Array.isArray(ns) ? ns : [ns] };
}
