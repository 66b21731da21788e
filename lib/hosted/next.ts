import { errorFields, logger } from '../observability/logger';
import type { NextRequest } from 'next/server';
import { settings } from '../config/env';
import { baseUrlFrom } from '../domains/header';
import { readBodyLimited } from '../security/read-body';
import type { HttpIn, HttpOut } from './http';
import { hostedRuntime, type HostedRuntime } from './runtime';
import { HOSTED_HEADER } from './routes';
import { hostedErrorResponse } from './error-response';

/**
 * The thin adapter between Next route handlers and the hosted front's logic (lib/hosted/http.ts).
 *
 * The URL is rebuilt from the request's base URL as the server decided it (lib/domains: PORTICO_URL or a
 * registered custom domain), never from the Host header: redirects, issuers and CSRF/Origin decisions
 * must not follow a Host a client chose.
 */

/** Hosted forms are a few fields; anything larger is cut off (and then fails validation). */
export const MAX_FORM_BYTES = 64 * 1024;

export interface FromNextOptions {
  /**
   * The public path this request was made to. Handlers reached through a proxy.ts rewrite pass the
   * path the browser used (e.g. `/login`), since the request they see carries the internal one.
   */
  path?: string;
}

export async function fromNextRequest(req: NextRequest, o: FromNextOptions = {}): Promise<HttpIn> {
  const method = req.method.toUpperCase();
  const url = new URL(`${o.path ?? req.nextUrl.pathname}${req.nextUrl.search}`, `${baseUrlFrom(req.headers, settings().publicUrl)}/`);
  const cookies: Record<string, string> = {};
  for (const c of req.cookies.getAll()) cookies[c.name] = c.value;
  const body = method === 'GET' || method === 'HEAD' ? '' : (await readBodyLimited(req, MAX_FORM_BYTES)).slice(0, MAX_FORM_BYTES);
  return { method, url, headers: new Headers(req.headers), body, cookies };
}

export function toNextResponse(out: HttpOut): Response {
  const headers = new Headers(out.headers);
  for (const c of out.cookies ?? []) headers.append('set-cookie', c);
  const body = out.status === 204 || out.status === 304 ? null : out.body;
  return new Response(body, { status: out.status, headers });
}

/**
 * A route handler behind a proxy.ts rewrite (issue 3, decision 5): only requests the proxy marked are
 * served (the mark cannot come from outside: the proxy strips every `x-portico-*` header), the logic sees
 * the public path, and a failure (a backend that did not answer) becomes the translated, retryable 503 page,
 * never Next's 500.
 */
export async function hostedRoute(
  req: NextRequest,
  publicPath: string,
  handler: (rt: HostedRuntime, req: HttpIn) => Promise<HttpOut>,
  o: { internal?: boolean } = {},
): Promise<Response> {
  if (o.internal !== false && req.headers.get(HOSTED_HEADER) !== '1') {
    return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  let input: HttpIn | undefined;
  try {
    input = await fromNextRequest(req, { path: publicPath });
    return toNextResponse(await handler(await hostedRuntime(), input));
  } catch (error) {
    logger().error({ path: publicPath, ...errorFields(error) }, 'hosted request failed');
    const fallback: HttpIn = input ?? { method: req.method, url: new URL(publicPath, `${baseUrlFrom(req.headers, settings().publicUrl)}/`), headers: new Headers(req.headers), body: '', cookies: {} };
    return toNextResponse(hostedErrorResponse(fallback, 503, 'temporarily_unavailable', { 'retry-after': '5' }));
  }
}
