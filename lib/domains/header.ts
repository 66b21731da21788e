/**
 * The base URL the custom server decided for a request (lib/server/main.ts, once, like the client
 * address): PORTICO_URL or a registered custom domain's base URL. The server always overwrites it, so
 * a client never supplies it. It is not an `x-portico-*` marker because proxy.ts strips those from
 * every request it sees, and this one must reach the route handlers Next runs after the proxy.
 * Readers that mint or check anything with it (issuers, the pool a domain serves) still look it up in
 * the registry (./site.ts): a value that names no registered domain counts as the primary site.
 */
export const BASE_URL_HEADER = 'portico-base-url';

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function read(headers: HeaderSource): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(BASE_URL_HEADER) ?? undefined;
  const v = (headers as Record<string, string | string[] | undefined>)[BASE_URL_HEADER];
  return Array.isArray(v) ? v[0] : v;
}

/** The request's base URL as the server decided it; `fallback` (PORTICO_URL) without the server. */
export function baseUrlFrom(headers: HeaderSource, fallback: string): string {
  const v = read(headers);
  if (!v) return fallback;
  try {
    const u = new URL(v);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return fallback;
    // The primary site keeps PORTICO_URL exactly as configured (its issuer string must not change).
    return u.origin === new URL(fallback).origin ? fallback : u.origin;
  } catch {
    return fallback;
  }
}

/** Whether cookies for this request get `Secure` / `__Host-`: the scheme of the site's base URL. */
export function isHttpsRequest(headers: HeaderSource, fallback: string): boolean {
  return baseUrlFrom(headers, fallback).startsWith('https://');
}
