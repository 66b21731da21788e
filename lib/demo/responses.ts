import type { NextRequest } from 'next/server';
import { translator } from '../i18n/translate';
import { isLocale, defaultLocale, type Locale } from '../i18n/locales';
import { LOCALE_HEADER, NONCE_HEADER } from '../security/markers';
import { escapeHtml, plainPage } from '../security/plain-page';
import type { NextAuthResult } from './next-auth-bridge';

/** Small helpers for the demo's route handlers. */
export function localeOfRequest(req: NextRequest): Locale {
  const l = req.headers.get(LOCALE_HEADER);
  return isLocale(l) ? l : defaultLocale;
}

export function requestCookies(req: NextRequest): Record<string, string> {
  return Object.fromEntries(req.cookies.getAll().map((c) => [c.name, c.value]));
}

export function requestHeaders(req: NextRequest): Record<string, string> {
  return Object.fromEntries(req.headers);
}

/** 404 when the demo is off, 503 while it is not created yet: a translated page either way. */
export function demoUnavailable(req: NextRequest, status: 404 | 503): Response {
  const tr = translator(localeOfRequest(req), ['demo', 'errors', 'common']);
  const [title, text] = status === 404 ? [tr.t('errors:notFoundTitle'), tr.t('errors:notFound')] : [tr.t('demo:title'), tr.t('demo:notReady')];
  const body = `<p>${escapeHtml(text)}</p><p><a href="/">${escapeHtml(tr.t('errors:backHome'))}</a></p>`;
  return new Response(plainPage(tr, title, body, req.headers.get(NONCE_HEADER) ?? undefined), {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** A 303 (the answer to a form post) to where next-auth wanted to go, with its cookies. */
export function seeOther(result: NextAuthResult, fallback: string): Response {
  const headers = new Headers({ location: result.location ?? fallback, 'cache-control': 'no-store' });
  for (const c of result.setCookies) headers.append('set-cookie', c);
  return new Response(null, { status: 303, headers });
}
