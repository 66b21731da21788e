import { isIP } from 'node:net';

/**
 * The address of the person's browser, for per-IP limits. The custom server (lib/server/main.ts) writes
 * it into `x-forwarded-for` as a single value before any handler runs: the socket's peer, or — when that
 * peer is one of PORTICO_TRUSTED_PROXIES — the right-most address in the incoming X-Forwarded-For that is
 * not itself a trusted proxy. A client can therefore never choose its own address.
 */
export const CLIENT_IP_HEADER = 'x-forwarded-for';

function normalise(address: string): string {
  const a = address.trim();
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

export function resolveClientIp(peer: string | undefined, forwardedFor: string | undefined, trusted: ReadonlySet<string>): string {
  const self = normalise(peer ?? '');
  if (!self || !trusted.has(self) || !forwardedFor) return self || 'unknown';
  const chain = forwardedFor.split(',').map(normalise).filter((a) => isIP(a) !== 0);
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!trusted.has(chain[i]!)) return chain[i]!;
  }
  return chain[0] ?? self;
}

/** The client address the server recorded (see above); 'unknown' when run without the custom server. */
export function clientIpOf(headers: Headers): string {
  const v = headers.get(CLIENT_IP_HEADER);
  if (!v) return 'unknown';
  return normalise(v.split(',')[0]!);
}
