import type { Layout } from './defaults';
import { resolveTheme, type ResolvedTheme, type ThemeSources } from './resolve-theme';
import { themeCss, type Scheme } from './theme-css';
import type { LocalizedUrlValue } from './theme-schema';

/**
 * What a hosted page's frame needs from its theme: the style text (custom properties and sanitised
 * CSS, emitted under the page's CSP nonce), images, the layout and the legal links in the page's
 * language. Plain data, so both the App Router and the custom server's /login can render it.
 */
export interface PageTheme {
  css: string;
  layout: Layout;
  logo?: string;
  favicon?: string;
  termsUrl?: string;
  privacyUrl?: string;
  /** The links' texts in the page's language. */
  legal: { label: string; terms: string; privacy: string };
}

export interface PageTranslator {
  locale: string;
  t: (key: string) => string;
}

function localized(value: LocalizedUrlValue | undefined, locale: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return value[locale] ?? value['default'];
}

export function pageThemeOf(theme: ResolvedTheme, tr: PageTranslator, scheme?: Scheme): PageTheme {
  const { locale, t } = tr;
  return {
    css: themeCss(theme, theme.css, scheme),
    layout: theme.layout,
    logo: theme.logo,
    favicon: theme.favicon,
    termsUrl: localized(theme.termsUrl, locale),
    privacyUrl: localized(theme.privacyUrl, locale),
    legal: { label: t('common:legal.label'), terms: t('common:legal.terms'), privacy: t('common:legal.privacy') },
  };
}

/** The page theme for a pool and client; Portico's defaults if anything about it fails (a page is never lost to its theme). */
export async function pageTheme(src: ThemeSources, poolId: string, clientId: string | undefined, tr: PageTranslator, scheme?: Scheme): Promise<PageTheme | undefined> {
  try {
    return pageThemeOf(await resolveTheme(src, poolId, clientId), tr, scheme);
  } catch {
    return undefined;
  }
}
