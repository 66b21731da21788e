import { isIP } from 'node:net';

/**
 * Which host a request was addressed to, and so which site (the primary PORTICO_URL or a registered
 * custom domain) answers it. Pure: the custom server (lib/server/main.ts) calls it once per request.
 *
 * X-Forwarded-Host and X-Forwarded-Proto are believed only when the socket's peer is one of
 * PORTICO_TRUSTED_PROXIES: anyone else could name any host and pick another domain's issuer.
 */
export interface AuthorityInput {
  /** The socket's remote address. */
  peer: string | undefined;
  host: string | undefined;
  forwardedHost: string | undefined;
  forwardedProto: string | undefined;
  trusted: ReadonlySet<string>;
}

export interface Authority {
  /** As sent, lower-cased, with its port (what the browser's origin holds). */
  host: string;
  /** The host name alone, without port or trailing dot: the key of the domain registry. */
  hostname: string;
  /** The scheme the browser used: the proxy's word when trusted, else the plain HTTP Portico speaks. */
  proto: 'http' | 'https';
}

const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*\.?)(:\d{1,5})?$/;

function unmapped(address: string): string {
  const a = address.trim();
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/** The host name of a Host-header value (no port, no trailing dot), or undefined when it is malformed. */
export function hostnameOf(host: string): string | undefined {
  const h = host.trim().toLowerCase();
  if (h.length === 0 || h.length > 260 || !HOST.test(h)) return undefined;
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '');
  return name.replace(/\.$/, '');
}

/** The first value of a comma-separated forwarded header (the proxy nearest the client wrote it). */
function first(value: string | undefined): string | undefined {
  const v = value?.split(',')[0]?.trim();
  return v ? v : undefined;
}

export function requestAuthority(i: AuthorityInput): Authority | undefined {
  const viaProxy = i.peer !== undefined && i.trusted.has(unmapped(i.peer));
  const raw = (viaProxy ? first(i.forwardedHost) : undefined) ?? i.host;
  if (raw === undefined) return undefined;
  const hostname = hostnameOf(raw);
  if (hostname === undefined) return undefined;
  const proto = viaProxy && first(i.forwardedProto)?.toLowerCase() === 'https' ? 'https' : 'http';
  return { host: raw.trim().toLowerCase().replace(/\.(?=:\d+$|$)/, ''), hostname, proto };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * True when the host belongs to the primary site: PORTICO_URL's host name (any port: a proxy may map
 * it), and — when PORTICO_URL is itself on loopback, i.e. development — every loopback name, so
 * `localhost` and `127.0.0.1` keep working side by side. `*.localhost` names are NOT loopback here:
 * they are how custom domains are tried out locally.
 */
export function isPrimaryHost(hostname: string, publicUrl: string): boolean {
  const primary = new URL(publicUrl).hostname.toLowerCase();
  if (hostname === primary) return true;
  return LOOPBACK.has(primary) && LOOPBACK.has(hostname);
}

/** `scheme://host[:port]`: the only shape a custom domain's base URL may take. */
export function parseBaseUrl(value: string): { origin: string; hostname: string; https: boolean } | undefined {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  if (u.username || u.password || u.search || u.hash || (u.pathname !== '/' && u.pathname !== '')) return undefined;
  if (value.replace(/\/$/, '') !== u.origin) return undefined;
  return { origin: u.origin, hostname: u.hostname.toLowerCase(), https: u.protocol === 'https:' };
}
