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

export function setCookie(name: string, value: string, o: { https: boolean; maxAgeSeconds?: number }): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (o.https) parts.push('Secure');
  if (o.maxAgeSeconds !== undefined) parts.push(`Max-Age=${o.maxAgeSeconds}`);
  return parts.join('; ');
}

export function clearCookie(name: string, https: boolean): string {
  return setCookie(name, '', { https, maxAgeSeconds: 0 });
}
