import { NextResponse, type NextRequest } from 'next/server';
import { settings } from './lib/config/env';
import { LOCALE_COOKIE } from './lib/i18n/locales';
import { baseUrlFrom } from './lib/domains/header';
import { newNonce, SANDBOXED_HTML_CSP, securityHeaders } from './lib/security/headers';
import {
  INTERNAL_COGNITO_PATH,
  INTERNAL_HEADER,
  LOCALE_HEADER,
  MARKER_PREFIX,
  NONCE_HEADER,
  ORIGINAL_HOST_HEADER,
} from './lib/security/markers';
import {
  LOCALE_COOKIE_MAX_AGE,
  localeOfRequest,
  localeToRemember,
  postAllowed,
  refusalPage,
  type FrontDoorRequest,
} from './lib/security/front-door';
import { safeFrameAncestors } from './lib/hosted/embed/frame-policy';
import { hostedRuntime } from './lib/hosted/runtime';
import { AUTHORIZE_HANDLER_PATH, ENTRY_HEADER, HOSTED_HEADER, INTERNAL_HOSTED_PREFIX, hostedRewriteTarget, isHostedPage } from './lib/hosted/routes';
import { ASSET_CSP, ASSET_PATH_PREFIX } from './lib/branding/asset-policy';

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
 *
 * The custom server (server.ts) answers the hot sign-in paths itself and applies the same rules
 * (lib/security/front-door.ts); this file sees every other request.
 */

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

/** The request as the shared front-door rules read it. */
function frontDoor(req: NextRequest): FrontDoorRequest {
  return {
    method: req.method.toUpperCase(),
    path: req.nextUrl.pathname,
    query: req.nextUrl.searchParams,
    header: (name) => req.headers.get(name),
    cookie: (name) => req.cookies.get(name)?.value,
    scheme: req.nextUrl.protocol.replace(/:$/, ''),
  };
}

function refusal(req: NextRequest, status: 403 | 404, https: boolean): NextResponse {
  const nonce = newNonce();
  const res = new NextResponse(refusalPage(localeOfRequest(frontDoor(req)), status, nonce), {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
  return withHeaders(res, securityHeaders({ nonce, https }));
}

export async function proxy(req: NextRequest): Promise<NextResponse> {
  // The base URL the custom server decided for this request (lib/domains): PORTICO_URL or a custom domain.
  const publicUrl = baseUrlFrom(req.headers, settings().publicUrl);
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

  if (!postAllowed(frontDoor(req), publicUrl)) return refusal(req, 403, https);

  const nonce = newNonce();
  const locale = localeOfRequest(frontDoor(req));
  headers.set(NONCE_HEADER, nonce);
  headers.set(LOCALE_HEADER, locale);
  // Pages of an embedded sign-in may be framed by the client's listed origins (lib/hosted/embed).
  const frameAncestors = await safeFrameAncestors({ path, query: req.nextUrl.searchParams, header: (name) => req.headers.get(name) }, hostedRuntime);
  const security = securityHeaders({ nonce, https, frameAncestors });
  // Next reads the nonce for its own scripts from the request's CSP header.
  headers.set('content-security-policy', security['content-security-policy']);
  // The hosted sign-in's forms post to their page's path; a handler answers them (stack-notes G21).
  const hosted = hostedRewriteTarget(method, path, req.nextUrl.searchParams);
  if (hosted) headers.set(HOSTED_HEADER, '1');
  if (hosted === AUTHORIZE_HANDLER_PATH) headers.set(ENTRY_HEADER, path);
  const res = withHeaders(
    hosted
      ? NextResponse.rewrite(new URL(`${hosted}${req.nextUrl.search}`, req.url), { request: { headers } })
      : NextResponse.next({ request: { headers } }),
    security,
  );
  if (isHostedPage(path)) res.headers.set('cache-control', 'no-store');
  // Theme images (an SVG among them) are served under a sandbox of their own (lib/branding/assets.ts).
  if (path.startsWith(ASSET_PATH_PREFIX)) res.headers.set('content-security-policy', ASSET_CSP);
  // A message's HTML part replaces the page policy with a sandbox (a policy set here wins over the route's).
  if (path === '/dev/outbox' && req.nextUrl.searchParams.get('part') === 'html') {
    res.headers.set('content-security-policy', SANDBOXED_HTML_CSP);
  }
  // Cognito's `lang` parameter sticks for the rest of the visit (reference §1.1).
  const chosen = localeToRemember(frontDoor(req));
  if (chosen) {
    res.cookies.set(LOCALE_COOKIE, chosen, {
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      secure: https,
      maxAge: LOCALE_COOKIE_MAX_AGE,
    });
  }
  return res;
}
