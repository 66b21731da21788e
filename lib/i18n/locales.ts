/**
 * The locales Portico ships and how a request picks one. Pure functions, so the proxy, pages and route
 * handlers (separate bundles) all decide the same way.
 */
export const locales = [
  'en', 'es', 'ar',
  // The eleven of Cognito's managed login (besides en and es).
  'de', 'fr', 'id', 'it', 'ja', 'ko', 'pt-BR', 'zh-CN', 'zh-TW',
  // Right to left.
  'he', 'fa',
  'nl', 'sv', 'da', 'nb', 'fi', 'pl', 'cs', 'hu', 'ro', 'ru', 'uk', 'tr', 'el', 'hi', 'th', 'vi', 'bg', 'ms',
] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

const rtl: ReadonlySet<Locale> = new Set<Locale>(['ar', 'he', 'fa']);

/** Cognito's managed login persists `lang` in a cookie of the same name; Portico does the same. */
export const LOCALE_COOKIE = 'lang';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export function dirOf(locale: Locale): 'ltr' | 'rtl' {
  return rtl.has(locale) ? 'rtl' : 'ltr';
}

const byLowerCase: ReadonlyMap<string, Locale> = new Map(locales.map((l) => [l.toLowerCase(), l]));

/** Old or alternative language codes for a shipped locale. */
const ALIASES: Readonly<Record<string, Locale>> = { iw: 'he', in: 'id', no: 'nb', nn: 'nb', pt: 'pt-BR', zh: 'zh-CN' };

/** Chinese: traditional script (Hant, or Taiwan, Hong Kong, Macau) → zh-TW; anything else → zh-CN. */
function chinese(subtags: string[]): Locale {
  return subtags.some((s) => s === 'hant' || s === 'tw' || s === 'hk' || s === 'mo') ? 'zh-TW' : 'zh-CN';
}

/**
 * Maps a BCP 47 tag to a shipped locale: exactly (`pt-BR`, any case), else by its language (`es-MX` →
 * `es`, `pt-PT` → `pt-BR`, `zh-Hant-HK` → `zh-TW`, `iw` → `he`), else none.
 */
export function matchLocale(tag: string | undefined | null): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.trim().toLowerCase().replace(/_/g, '-');
  const exact = byLowerCase.get(lower);
  if (exact) return exact;
  const [primary = '', ...rest] = lower.split('-');
  if (primary === 'zh') return chinese(rest);
  return byLowerCase.get(primary) ?? ALIASES[primary];
}

/** Accept-Language entries by descending q, ties in header order; q=0 means "not this one". */
export function parseAcceptLanguage(header: string | undefined | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((e) => e.tag !== '' && e.tag !== '*' && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((e) => e.tag);
}

export interface LocaleHints {
  /** OIDC `ui_locales`: space-separated tags in order of preference. */
  uiLocales?: string | null;
  /** Cognito's `lang` query parameter. */
  lang?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
  /** A client's configured default, when the hosted front knows the client. */
  clientDefault?: string | null;
}

/** The locale the request itself asks for (ui_locales, lang, the cookie, Accept-Language), if any is shipped. */
export function explicitLocale(hints: Omit<LocaleHints, 'clientDefault'>): Locale | undefined {
  for (const tag of (hints.uiLocales ?? '').split(/\s+/)) {
    const m = matchLocale(tag);
    if (m) return m;
  }
  const fromLang = matchLocale(hints.lang) ?? matchLocale(hints.cookie);
  if (fromLang) return fromLang;
  for (const tag of parseAcceptLanguage(hints.acceptLanguage)) {
    const m = matchLocale(tag);
    if (m) return m;
  }
  return undefined;
}

/** Order: ui_locales, lang, the cookie, Accept-Language, the client's default, then English. */
export function negotiateLocale(hints: LocaleHints): Locale {
  return explicitLocale(hints) ?? matchLocale(hints.clientDefault) ?? defaultLocale;
}

/** Each locale's name in its own language, for the language picker (the same in every locale). */
export const localeNames: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  ar: 'العربية',
  de: 'Deutsch',
  fr: 'Français',
  id: 'Bahasa Indonesia',
  it: 'Italiano',
  ja: '日本語',
  ko: '한국어',
  'pt-BR': 'Português (Brasil)',
  'zh-CN': '简体中文',
  'zh-TW': '繁體中文',
  he: 'עברית',
  fa: 'فارسی',
  nl: 'Nederlands',
  sv: 'Svenska',
  da: 'Dansk',
  nb: 'Norsk bokmål',
  fi: 'Suomi',
  pl: 'Polski',
  cs: 'Čeština',
  hu: 'Magyar',
  ro: 'Română',
  ru: 'Русский',
  uk: 'Українська',
  tr: 'Türkçe',
  el: 'Ελληνικά',
  hi: 'हिन्दी',
  th: 'ไทย',
  vi: 'Tiếng Việt',
  bg: 'Български',
  ms: 'Bahasa Melayu',
};
