/**
 * Cross-site form posts are refused before Next sees them (stack-notes G21): a server action answers a
 * foreign Origin with a plain 500, and nothing should act on a form another site submitted.
 */
export interface OriginContext {
  /** The Host header the client sent. */
  host: string | null;
  /** x-forwarded-proto when a reverse proxy terminates TLS; otherwise the scheme Portico serves. */
  proto: string;
  /** PORTICO_URL. */
  publicUrl: string;
  /**
   * The browser's Sec-Fetch-Site header. Portico's pages send `Referrer-Policy: no-referrer`, and under
   * that policy browsers send `Origin: null` even on a same-origin form post (Fetch, "append a request
   * Origin header"); Sec-Fetch-Site, which pages cannot set, then tells the truth.
   */
  fetchSite?: string | null;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * True when a POST may proceed: no Origin header (non-browser clients, older browsers) or an Origin
 * equal to Portico's own — the public URL, or the host the request was addressed to. `null` (a sandboxed
 * or privacy-redirected form) is foreign, unless the browser says `Sec-Fetch-Site: same-origin`.
 */
export function isSameOriginPost(origin: string | null, ctx: OriginContext): boolean {
  if (origin === null) return true;
  if (origin === 'null' && ctx.fetchSite === 'same-origin') return true;
  const allowed = new Set<string>();
  const pub = originOf(ctx.publicUrl);
  if (pub) allowed.add(pub);
  if (ctx.host) {
    const own = originOf(`${ctx.proto}://${ctx.host}`);
    if (own) allowed.add(own);
  }
  const o = originOf(origin);
  return o !== undefined && o !== 'null' && allowed.has(o);
}
