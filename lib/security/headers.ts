import { secureRandomBytes } from '../crypto/random';

/**
 * Response headers every Portico response carries. Pages get a CSP with a fresh nonce per request;
 * Next reads the nonce back from the request's CSP header and puts it on its own scripts.
 */
export function newNonce(): string {
  return secureRandomBytes(18).toString('base64');
}

/**
 * No `form-action`: Chromium applies it to the redirects that follow a form post, and a sign-in form's
 * answer is a redirect to the app's callback URL on another origin.
 */
export function contentSecurityPolicy(nonce: string, frameAncestors?: readonly string[]): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    frameAncestorsDirective(frameAncestors),
  ].join('; ');
}

/**
 * `frame-ancestors` with the embedding app's listed origins (lib/hosted/embed decides when a response may
 * be framed), else `'none'`. The origins were validated as bare origins (lib/hosted/embed/origins.ts), so
 * none can smuggle another directive.
 */
export function frameAncestorsDirective(frameAncestors?: readonly string[]): string {
  return frameAncestors && frameAncestors.length > 0 ? `frame-ancestors ${frameAncestors.join(' ')}` : "frame-ancestors 'none'";
}

/**
 * For email HTML shown to an admin (`/dev/outbox?…&part=html`): a sandbox (an opaque origin that runs no
 * script, submits no form and reaches no Portico cookie) that may load nothing but its inline styles.
 * Email HTML is shown, never trusted.
 */
export const SANDBOXED_HTML_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

/**
 * With `frameAncestors` (a page of an embedded sign-in) there is no X-Frame-Options: it cannot name an
 * origin, and a browser that knows only X-Frame-Options would refuse the frame its app asked for.
 */
export function securityHeaders(options: { nonce?: string; https: boolean; frameAncestors?: readonly string[] }): Record<string, string> {
  const framed = options.frameAncestors !== undefined && options.frameAncestors.length > 0;
  const out: Record<string, string> = {
    ...(framed ? {} : { 'x-frame-options': 'DENY' }),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
  if (options.nonce) out['content-security-policy'] = contentSecurityPolicy(options.nonce, options.frameAncestors);
  // A response without a page policy (the Cognito API, static files) still says who may frame it.
  else if (framed) out['content-security-policy'] = frameAncestorsDirective(options.frameAncestors);
  // Only when the public URL is https: HSTS on plain http is ignored, and on localhost it would stick.
  if (options.https) out['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  return out;
}
