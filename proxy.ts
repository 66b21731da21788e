import { NextResponse, type NextRequest } from 'next/server';
import { settings } from './lib/config/env';
import { LOCALE_COOKIE, matchLocale, negotiateLocale } from './lib/i18n/locales';
import { translator } from './lib/i18n/translate';
import { newNonce, securityHeaders } from './lib/security/headers';
import {
  INTERNAL_COGNITO_PATH,
  INTERNAL_HEADER,
  LOCALE_HEADER,
  MARKER_PREFIX,
  NONCE_HEADER,
  ORIGINAL_HOST_HEADER,
} from './lib/security/markers';
import { isSameOriginPost } from './lib/security/origin';
import { escapeHtml, plainPage } from './lib/security/plain-page';
import { HOSTED_HEADER, INTERNAL_HOSTED_PREFIX, hostedRewriteTarget, isHostedPage } from './lib/hosted/routes';

/**
 * Runs before every request (no matcher on purpose: a path that skipped the proxy would skip the
 * marker stripping that keeps the internal Cognito route private).
 *
 * 1. `POST /` and `OPTIONS /` are the Cognito API: rewritten to the internal route, with the Host the
 *    client signed carried along (stack-notes G22). `GET /` stays the home page.
 * 2. Direct requests to the internal route are refused.
 * 3. A POST from another site is refused with a translated 403 page (stack-notes G21), except on the
 *    endpoints Cognito opens to cross-origin callers.
 * 4. Everything else gets the security headers, a CSP nonce and the negotiated locale.
 */

/** Endpoints browsers call cross-origin by design (CORS `*` in Cognito). */
const CROSS_ORIGIN_POST_PATHS = new Set(['/oauth2/token', '/oauth2/revoke', '/oauth2/userInfo']);
/**
 * An app's own page may send the browser to the authorization endpoint with a form POST (OIDC Core
 * §3.1.2.1); it changes nothing that a GET with the same parameters would not.
 */
const CROSS_SITE_NAVIGATION_POSTS = new Set(['/oauth2/authorize']);

function incomingHeaders(req: NextRequest): Headers {
  const out = new Headers();
  req.headers.forEach((value, key) => {
    if (!key.startsWith(MARKER_PREFIX)) out.set(key, value);
  });
  return out;
}

function withHeaders(res: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

function localeFor(req: NextRequest) {
  const q = req.nextUrl.searchParams;
  return negotiateLocale({
    uiLocales: q.get('ui_locales'),
    lang: q.get('lang'),
    cookie: req.cookies.get(LOCALE_COOKIE)?.value,
    acceptLanguage: req.headers.get('accept-language'),
  });
}

function refusal(req: NextRequest, status: 403 | 404, https: boolean): NextResponse {
  const tr = translator(localeFor(req), 'errors');
  const nonce = newNonce();
  const [title, text] =
    status === 403 ? [tr.t('forbiddenTitle'), tr.t('crossSiteForm')] : [tr.t('notFoundTitle'), tr.t('notFound')];
  const body = `<p>${escapeHtml(text)}</p><p><a href="/">${escapeHtml(tr.t('backHome'))}</a></p>`;
  const res = new NextResponse(plainPage(tr, title, body, nonce), {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
  return withHeaders(res, securityHeaders({ nonce, https }));
}

export function proxy(req: NextRequest): NextResponse {
  const { publicUrl } = settings();
  const https = publicUrl.startsWith('https://');
  const path = req.nextUrl.pathname;
  const method = req.method.toUpperCase();
  const headers = incomingHeaders(req);

  if (path === INTERNAL_COGNITO_PATH || path.startsWith(`${INTERNAL_COGNITO_PATH}/`)) {
    return refusal(req, 404, https);
  }
  if (path === INTERNAL_HOSTED_PREFIX || path.startsWith(`${INTERNAL_HOSTED_PREFIX}/`)) {
    return refusal(req, 404, https);
  }

  if (path === '/' && (method === 'POST' || method === 'OPTIONS')) {
    headers.set(INTERNAL_HEADER, '1');
    headers.set(ORIGINAL_HOST_HEADER, req.headers.get('host') ?? '');
    const res = NextResponse.rewrite(new URL(INTERNAL_COGNITO_PATH, req.url), { request: { headers } });
    return withHeaders(res, securityHeaders({ https }));
  }

  if (path.startsWith('/_next/static/') || path.startsWith('/_next/image')) {
    return withHeaders(NextResponse.next({ request: { headers } }), securityHeaders({ https }));
  }

  if (method === 'POST' && !CROSS_ORIGIN_POST_PATHS.has(path) && !CROSS_SITE_NAVIGATION_POSTS.has(path)) {
    const ok = isSameOriginPost(req.headers.get('origin'), {
      host: req.headers.get('host'),
      proto: req.headers.get('x-forwarded-proto') ?? req.nextUrl.protocol.replace(/:$/, ''),
      publicUrl,
      fetchSite: req.headers.get('sec-fetch-site'),
    });
    if (!ok) return refusal(req, 403, https);
  }

  const nonce = newNonce();
  const locale = localeFor(req);
  headers.set(NONCE_HEADER, nonce);
  headers.set(LOCALE_HEADER, locale);
  const security = securityHeaders({ nonce, https });
  // Next reads the nonce for its own scripts from the request's CSP header.
  headers.set('content-security-policy', security['content-security-policy']);
  // The hosted sign-in's forms post to their page's path; a handler answers them (stack-notes G21).
  const hosted = hostedRewriteTarget(method, path, req.nextUrl.searchParams);
  if (hosted) headers.set(HOSTED_HEADER, '1');
  const res = withHeaders(
    hosted
      ? NextResponse.rewrite(new URL(`${hosted}${req.nextUrl.search}`, req.url), { request: { headers } })
      : NextResponse.next({ request: { headers } }),
    security,
  );
  if (isHostedPage(path)) res.headers.set('cache-control', 'no-store');
  // Cognito's `lang` parameter sticks for the rest of the visit (reference §1.1).
  const chosen = matchLocale(req.nextUrl.searchParams.get('lang'));
  if (chosen && req.cookies.get(LOCALE_COOKIE)?.value !== chosen) {
    res.cookies.set(LOCALE_COOKIE, chosen, {
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      secure: https,
      maxAge: 365 * 24 * 3600,
    });
  }
  return res;
}
