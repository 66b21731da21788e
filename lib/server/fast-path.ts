import { errorFields, logger } from '../observability/logger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostedRuntime } from '../hosted/runtime';
import type { HttpIn, HttpOut } from '../hosted/http';
import { handleAuthorize } from '../hosted/authorize';
import { handleSignIn } from '../hosted/signin';
import { handleLoginPage } from '../hosted/login-page';
import { PREVIEW_PATH, previewEndpoint, previewPageOf } from '../branding/preview/endpoint';
import { hostedErrorResponse } from '../hosted/error-response';
import { isHostedPage } from '../hosted/routes';
import { MAX_FORM_BYTES } from '../hosted/next';
import type { PageAssets } from '../hosted/render-login';
import { handleToken } from '../oauth/token';
import { unavailable } from '../oauth/endpoint';
import { newNonce, securityHeaders } from '../security/headers';
import { LOCALE_HEADER, MARKER_PREFIX, NONCE_HEADER } from '../security/markers';
import {
  localeCookieHeader,
  localeOfRequest,
  localeToRemember,
  postAllowed,
  refusalPage,
  type FrontDoorRequest,
} from '../security/front-door';
import { safeFrameAncestors } from '../hosted/embed/frame-policy';
import { baseUrlFrom } from '../domains/header';
import { ClientGone, parseCookies, readBody, requestHeaders, writeOut } from './node-io';

/**
 * The hot requests of a hosted sign-in, answered by the custom server without Next's request pipeline:
 * the same lib handlers the routes call, behind the same front-door rules proxy.ts applies (security
 * headers and CSP nonce, locale negotiation and the `lang` cookie, the cross-site POST check, marker
 * stripping, body limit, no-store on hosted pages). Everything else — and any method these routes do not
 * export — goes to Next unchanged.
 */
export type HotRoute = 'authorize' | 'login-authorize' | 'login-page' | 'login-post' | 'token' | 'admin-preview';

/** The methods app/oauth2/token/route.ts exports (HEAD stays with Next). */
const TOKEN_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** Next's answers vary on its router headers; so do ours (an RSC request for /login goes to Next). */
const VARY = 'rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch';

export function hotRoute(method: string, pathname: string, query: URLSearchParams, header: (name: string) => string | undefined): HotRoute | undefined {
  switch (pathname) {
    case '/oauth2/authorize':
      return method === 'GET' || method === 'POST' ? 'authorize' : undefined;
    case '/login':
      if (method === 'POST') return 'login-post';
      if (method !== 'GET') return undefined;
      if (!query.has('tx')) return 'login-authorize';
      // The App Router's client navigations ask for an RSC payload: only Next can answer those.
      return header('rsc') === undefined && header('next-router-prefetch') === undefined ? 'login-page' : undefined;
    case '/oauth2/token':
      return TOKEN_METHODS.has(method) ? 'token' : undefined;
    default:
      // The admin preview renders hosted pages to static markup, which Next's routes may not (react-dom/server).
      return pathname === PREVIEW_PATH || pathname.startsWith(`${PREVIEW_PATH}/`) ? 'admin-preview' : undefined;
  }
}

/** The request target's path and query, when it is an ordinary origin-form target Next would not rewrite. */
export function targetOf(rawUrl: string | undefined): { pathname: string; query: URLSearchParams; search: string } | undefined {
  if (!rawUrl || !rawUrl.startsWith('/') || rawUrl.startsWith('//')) return undefined;
  const q = rawUrl.indexOf('?');
  const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const search = q === -1 ? '' : rawUrl.slice(q);
  return { pathname, query: new URLSearchParams(search), search: search === '?' ? '' : search };
}

export interface FastPathOptions {
  /** PORTICO_URL; a request's own base URL (lib/domains) comes from the header the server set. */
  publicUrl: string;
  runtime: () => Promise<HostedRuntime>;
  assets: PageAssets;
}

type Handler = (rt: HostedRuntime, req: HttpIn, assets: PageAssets) => Promise<HttpOut>;

const HANDLERS: Record<HotRoute, Handler> = {
  authorize: (rt, req) => handleAuthorize(rt, req),
  'login-authorize': (rt, req) => handleAuthorize(rt, req),
  'login-page': handleLoginPage,
  'login-post': (rt, req) => handleSignIn(rt, req),
  token: (rt, req) => handleToken(rt, req),
  'admin-preview': (rt, req, assets) => previewEndpoint(rt, req, previewPageOf(req.url.pathname), assets.stylesheets),
};

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function logFailure(path: string, error: unknown): void {
  logger().error({ path, ...errorFields(error) }, 'hosted request failed');
}

export async function serveHot(
  route: HotRoute,
  target: { pathname: string; query: URLSearchParams; search: string },
  req: IncomingMessage,
  res: ServerResponse,
  o: FastPathOptions,
): Promise<void> {
  const base = baseUrlFrom(req.headers, o.publicUrl);
  const https = base.startsWith('https://');
  const method = (req.method ?? 'GET').toUpperCase();
  const cookies = parseCookies(header(req, 'cookie'));
  const door: FrontDoorRequest = {
    method,
    path: target.pathname,
    query: target.query,
    header: (name) => header(req, name) ?? null,
    cookie: (name) => cookies[name],
    // This server speaks plain HTTP; behind a TLS proxy, x-forwarded-proto says https (as in Next).
    scheme: 'http',
  };

  if (!postAllowed(door, base)) {
    const nonce = newNonce();
    const page = refusalPage(localeOfRequest(door), 403, nonce);
    writeOut(req, res, { status: 403, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: page }, { headers: securityHeaders({ nonce, https }) });
    req.resume();
    return;
  }

  const nonce = newNonce();
  const headers = requestHeaders(req, MARKER_PREFIX);
  headers.set(NONCE_HEADER, nonce);
  headers.set(LOCALE_HEADER, localeOfRequest(door));
  const remember = localeToRemember(door);
  // Decided before the handler runs: a completing sign-in ends its transaction (lib/hosted/embed).
  const frameAncestors = await safeFrameAncestors({ path: target.pathname, query: target.query, header: (name) => header(req, name) }, o.runtime);
  const extra = { headers: { ...securityHeaders({ nonce, https, frameAncestors }), vary: VARY }, cookies: remember ? [localeCookieHeader(remember, https)] : [] };

  let truncated = false;
  let input: HttpIn = { method, url: new URL(`${target.pathname}${target.search}`, `${base}/`), headers, body: '', cookies };
  let out: HttpOut;
  try {
    if (method !== 'GET' && method !== 'HEAD') {
      const body = await readBody(req, MAX_FORM_BYTES);
      truncated = body.truncated;
      input = { ...input, body: body.text };
    }
    out = await HANDLERS[route](await o.runtime(), input, o.assets);
  } catch (error) {
    if (error instanceof ClientGone) {
      res.destroy();
      return;
    }
    logFailure(target.pathname, error);
    // What fails here is a backend (database, pool) that did not answer: a clean, retryable 503.
    out = route === 'token' ? unavailable() : hostedErrorResponse(input, 503, 'temporarily_unavailable', { 'retry-after': '5' });
  }
  if (isHostedPage(target.pathname)) out = { ...out, headers: { ...out.headers, 'cache-control': 'no-store' } };
  if (truncated) {
    // The rest of an oversized body is not read: this connection cannot carry another request.
    res.setHeader('connection', 'close');
    res.once('finish', () => req.destroy());
  }
  writeOut(req, res, out, extra);
}
