/**
 * The route pattern a request path is counted and logged under: Portico's own endpoints by name, a
 * pool's documents with the pool id replaced, anything else "other". Never the raw path or query,
 * which can carry a confirmation code (/confirmUser?confirmation_code=…) and is chosen by the client.
 */
const KNOWN = new Set([
  '/', '/oauth2/authorize', '/oauth2/token', '/oauth2/userInfo', '/oauth2/revoke', '/logout', '/logout/done',
  '/login', '/mfa', '/mfa/select', '/mfa/setup', '/new-password', '/signup', '/confirmUser', '/forgotPassword',
  '/confirmforgotPassword', '/error', '/account', '/account/signin', '/account/signed-out',
  '/healthz', '/readyz', '/metrics', '/dev/outbox', '/api/cognito', '/admin/domains', '/admin/preview',
]);

const PREFIXES = ['/_next/', '/demo', '/api/hosted/', '/admin/', '/branding/assets/'];
const POOL_DOC = /^\/[a-z]{2}(?:-[a-z]+)+-\d_[A-Za-z0-9]+(\/\.well-known\/(?:jwks\.json|openid-configuration))$/;

export function routeLabel(pathname: string | undefined): string {
  if (pathname === undefined) return 'other';
  if (KNOWN.has(pathname)) return pathname;
  const doc = POOL_DOC.exec(pathname);
  if (doc) return `/{poolId}${doc[1]}`;
  for (const p of PREFIXES) if (pathname.startsWith(p)) return p.endsWith('/') ? `${p}*` : p === pathname ? p : `${p}/*`;
  return 'other';
}
