/**
 * Cookie names and attributes. On https the `__Host-` prefix pins them to the host (Secure, Path=/, no
 * Domain); on http (localhost development) the plain names are used. SameSite=Lax so an app on another
 * site can navigate to /oauth2/authorize and still find the SSO session.
 */
export interface CookieNames {
  browser: string;
  session: string;
}

export function cookieNames(https: boolean): CookieNames {
  return https
    ? { browser: '__Host-portico_browser', session: '__Host-portico_session' }
    : { browser: 'portico_browser', session: 'portico_session' };
}

/**
 * `embedded`: a sign-in inside another site's iframe (lib/hosted/embed). A Lax cookie is not sent in a
 * cross-site frame, so these are `SameSite=None; Secure; Partitioned` — kept apart per top-level site
 * (CHIPS), never shared with the parent or other sites. Cross-site form posts stay refused by the Origin
 * check and the per-form CSRF tokens (lib/security/front-door.ts, lib/hosted/csrf.ts). Browsers accept
 * Secure from http://localhost, so this works in development too.
 */
export function setCookie(name: string, value: string, o: { https: boolean; maxAgeSeconds?: number; embedded?: boolean }): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', o.embedded ? 'SameSite=None' : 'SameSite=Lax'];
  if (o.https || o.embedded) parts.push('Secure');
  if (o.embedded) parts.push('Partitioned');
  if (o.maxAgeSeconds !== undefined) parts.push(`Max-Age=${o.maxAgeSeconds}`);
  return parts.join('; ');
}

export function clearCookie(name: string, https: boolean): string {
  return setCookie(name, '', { https, maxAgeSeconds: 0 });
}
