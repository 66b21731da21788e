/**
 * Response headers every Portico response carries. Pages get a CSP with a fresh nonce per request;
 * Next reads the nonce back from the request's CSP header and puts it on its own scripts.
 */
export function newNonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}

/**
 * No `form-action`: Chromium applies it to the redirects that follow a form post, and a sign-in form's
 * answer is a redirect to the app's callback URL on another origin.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * For email HTML shown to an admin (`/dev/outbox?…&part=html`): a sandbox (an opaque origin that runs no
 * script, submits no form and reaches no Portico cookie) that may load nothing but its inline styles.
 * Email HTML is shown, never trusted.
 */
export const SANDBOXED_HTML_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

export function securityHeaders(options: { nonce?: string; https: boolean }): Record<string, string> {
  const out: Record<string, string> = {
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
  if (options.nonce) out['content-security-policy'] = contentSecurityPolicy(options.nonce);
  // Only when the public URL is https: HSTS on plain http is ignored, and on localhost it would stick.
  if (options.https) out['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  return out;
}
