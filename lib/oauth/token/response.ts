import { decodeJwt } from 'jose';

/** A successful token response (RFC 6749 §5.1, reference §1.2). */
export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
}

/** The access token's claims Portico reads; the token was issued by the pool and is not re-verified here. */
export function accessClaims(accessToken: string): { exp?: number; scope: string[]; username?: string } {
  try {
    const c = decodeJwt(accessToken);
    return {
      exp: typeof c.exp === 'number' ? c.exp : undefined,
      scope: typeof c.scope === 'string' ? c.scope.split(' ').filter((s) => s !== '') : [],
      username: typeof c.username === 'string' ? c.username : undefined,
    };
  } catch {
    return { scope: [] };
  }
}

/**
 * Seconds the access token still has: tokens behind a code were minted at sign-in, up to the code's
 * lifetime earlier, so the pool's ExpiresIn would overstate it.
 */
export function remainingSeconds(accessToken: string, fallback: number, nowMs: number): number {
  const exp = accessClaims(accessToken).exp;
  return exp === undefined ? fallback : Math.max(1, exp - Math.floor(nowMs / 1000));
}
