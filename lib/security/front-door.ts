import { LOCALE_COOKIE, matchLocale, negotiateLocale, type Locale } from '../i18n/locales';
import { translator } from '../i18n/translate';
import { isSameOriginPost } from './origin';
import { escapeHtml, plainPage } from './plain-page';

/**
 * The rules every request meets before a handler sees it, shared by proxy.ts (requests Next serves)
 * and the custom server's fast path (lib/server), so both doors decide alike.
 */

/** Endpoints browsers call cross-origin by design (CORS `*` in Cognito). */
export const CROSS_ORIGIN_POST_PATHS: ReadonlySet<string> = new Set(['/oauth2/token', '/oauth2/revoke', '/oauth2/userInfo']);
/**
 * An app's own page may send the browser to the authorization endpoint with a form POST (OIDC Core
 * §3.1.2.1); it changes nothing that a GET with the same parameters would not.
 */
export const CROSS_SITE_NAVIGATION_POSTS: ReadonlySet<string> = new Set(['/oauth2/authorize']);

export interface FrontDoorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  header(name: string): string | null;
  cookie(name: string): string | undefined;
  /** The scheme the request reached Portico with (`http` behind a TLS-terminating proxy too). */
  scheme: string;
}

export function localeOfRequest(req: Pick<FrontDoorRequest, 'query' | 'header' | 'cookie'>): Locale {
  return negotiateLocale({
    uiLocales: req.query.get('ui_locales'),
    lang: req.query.get('lang'),
    cookie: req.cookie(LOCALE_COOKIE),
    acceptLanguage: req.header('accept-language'),
  });
}

/** False for a form POST from another site (stack-notes G21); true for everything else. */
export function postAllowed(req: FrontDoorRequest, publicUrl: string): boolean {
  if (req.method !== 'POST' || CROSS_ORIGIN_POST_PATHS.has(req.path) || CROSS_SITE_NAVIGATION_POSTS.has(req.path)) return true;
  return isSameOriginPost(req.header('origin'), {
    host: req.header('host'),
    proto: req.header('x-forwarded-proto') ?? req.scheme,
    publicUrl,
    fetchSite: req.header('sec-fetch-site'),
  });
}

/** The translated 403 (cross-site form) or 404 (internal route) page. */
export function refusalPage(locale: Locale, status: 403 | 404, nonce: string): string {
  const tr = translator(locale, 'errors');
  const [title, text] =
    status === 403 ? [tr.t('forbiddenTitle'), tr.t('crossSiteForm')] : [tr.t('notFoundTitle'), tr.t('notFound')];
  const body = `<p>${escapeHtml(text)}</p><p><a href="/">${escapeHtml(tr.t('backHome'))}</a></p>`;
  return plainPage(tr, title, body, nonce);
}

/** Cognito's `lang` parameter sticks for the rest of the visit (reference §1.1): the locale to remember, if any. */
export function localeToRemember(req: Pick<FrontDoorRequest, 'query' | 'cookie'>): Locale | undefined {
  const chosen = matchLocale(req.query.get('lang'));
  return chosen && req.cookie(LOCALE_COOKIE) !== chosen ? chosen : undefined;
}

export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600;

/** The same Set-Cookie line Next writes for proxy.ts's `res.cookies.set(LOCALE_COOKIE, …)`. */
export function localeCookieHeader(locale: Locale, https: boolean, now = Date.now()): string {
  const expires = new Date(now + LOCALE_COOKIE_MAX_AGE * 1000).toUTCString();
  return `${LOCALE_COOKIE}=${locale}; Path=/; Expires=${expires}; Max-Age=${LOCALE_COOKIE_MAX_AGE}${https ? '; Secure' : ''}; HttpOnly; SameSite=lax`;
}
