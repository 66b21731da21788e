import { safeEqual } from '../crypto/compare';

/**
 * HTTP Basic for Portico's admin web endpoints, checked against the admin SigV4 credentials. Both parts
 * are always compared (constant time, no early exit) so timing says nothing about which part was wrong.
 */
export function basicAuthMatches(authorization: string | null, expected: { keyId: string; secret: string }): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const idOk = safeEqual(decoded.slice(0, colon), expected.keyId);
  const secretOk = safeEqual(decoded.slice(colon + 1), expected.secret);
  return idOk && secretOk;
}

export const BASIC_CHALLENGE = 'Basic realm="Portico admin", charset="UTF-8"';
