import NextAuth, { type AuthOptions } from 'next-auth';

/**
 * Drives next-auth's own endpoints from the demo's route handlers, through next-auth's documented
 * API-route entry point `NextAuth(req, res, options)` with a captured response.
 *
 * Why: next-auth 4 starts a sign-in (or sign-out) only on a POST that carries the token of its CSRF
 * cookie, which a first visit with JavaScript off does not have. The demo's buttons post to its own
 * routes (same-origin posts; proxy.ts refuses foreign ones), which fetch that token from next-auth's
 * `csrf` action and then make the real call — so the demo works without JavaScript and next-auth
 * still does all of the OAuth work (state, PKCE and nonce cookies, the authorization URL, sign-out).
 */
export interface NextAuthCall {
  method: 'GET' | 'POST';
  /** The path segments after /api/auth, e.g. ['signin', 'portico']. */
  action: string[];
  cookies: Record<string, string>;
  headers: Record<string, string>;
  body?: Record<string, string>;
  query?: Record<string, string>;
}

export interface NextAuthResult {
  status: number;
  location?: string;
  /** Set-Cookie values. */
  setCookies: string[];
  body: unknown;
}

class CapturedResponse {
  statusCode = 200;
  headers = new Map<string, string | string[]>();
  body: unknown;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string | string[]): this {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }
  getHeader(name: string): string | string[] | undefined {
    return this.headers.get(name.toLowerCase());
  }
  end(): void {}
  json(value: unknown): void {
    this.body = value;
  }
  send(value: unknown): void {
    this.body = value;
  }
}

type ApiHandler = (req: unknown, res: unknown, options: AuthOptions) => Promise<unknown>;

export async function callNextAuth(options: AuthOptions, call: NextAuthCall): Promise<NextAuthResult> {
  const res = new CapturedResponse();
  const req = {
    method: call.method,
    query: { ...call.query, nextauth: call.action },
    body: call.body ?? {},
    cookies: call.cookies,
    headers: call.headers,
  };
  await (NextAuth as unknown as ApiHandler)(req, res, options);
  const cookies = res.getHeader('set-cookie');
  const location = res.getHeader('location');
  return {
    status: res.statusCode,
    location: typeof location === 'string' ? location : undefined,
    setCookies: cookies === undefined ? [] : Array.isArray(cookies) ? cookies : [cookies],
    body: res.body,
  };
}

/** name → value of Set-Cookie headers (values decoded as the `cookie` package encoded them). */
export function cookieValues(setCookies: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of setCookies) {
    const pair = c.split(';', 1)[0];
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq).trim()] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return out;
}

/**
 * Runs `action` as a POST with a valid CSRF token: first next-auth's `csrf` action (which sets its
 * cookie when the browser has none), then the action itself with that cookie and token. The response
 * carries both calls' cookies.
 */
export async function postWithCsrf(
  options: AuthOptions,
  call: Omit<NextAuthCall, 'method'>,
): Promise<NextAuthResult> {
  const csrf = await callNextAuth(options, { method: 'GET', action: ['csrf'], cookies: call.cookies, headers: call.headers });
  const token = (csrf.body as { csrfToken?: unknown } | undefined)?.csrfToken;
  if (typeof token !== 'string') throw new Error('next-auth did not return a CSRF token');
  const cookies = { ...call.cookies, ...cookieValues(csrf.setCookies) };
  const result = await callNextAuth(options, { ...call, method: 'POST', cookies, body: { ...call.body, csrfToken: token } });
  return { ...result, setCookies: [...csrf.setCookies, ...result.setCookies] };
}
