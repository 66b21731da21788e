import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirs } from '../helpers/scratch-dirs';
import { hotRoute, targetOf } from '../../lib/server/fast-path';
import { parseCookies } from '../../lib/server/node-io';
import { appStylesheets, StylesheetError } from '../../lib/server/stylesheets';
import { localeCookieHeader, localeOfRequest, localeToRemember, postAllowed, type FrontDoorRequest } from '../../lib/security/front-door';

/**
 * The custom server's pure parts: which requests it answers itself (and which it leaves to Next), the
 * front-door rules it shares with proxy.ts, cookie parsing as Next does it, and where the App Router's
 * stylesheet is found in a build.
 */
const none = () => undefined;

describe('which requests the custom server answers itself', () => {
  const q = (s = '') => new URLSearchParams(s);
  it('the authorization endpoint for GET and POST; other methods go to Next', () => {
    expect(hotRoute('GET', '/oauth2/authorize', q('client_id=x'), none)).toBe('authorize');
    expect(hotRoute('POST', '/oauth2/authorize', q(), none)).toBe('authorize');
    for (const m of ['HEAD', 'PUT', 'OPTIONS', 'DELETE']) expect(hotRoute(m, '/oauth2/authorize', q(), none)).toBeUndefined();
  });

  it('/login: the authorize form without tx, the page with tx (not for RSC requests), the form POST', () => {
    expect(hotRoute('GET', '/login', q('client_id=x'), none)).toBe('login-authorize');
    expect(hotRoute('GET', '/login', q('tx=T'), none)).toBe('login-page');
    expect(hotRoute('GET', '/login', q('tx=T'), (n) => (n === 'rsc' ? '1' : undefined))).toBeUndefined();
    expect(hotRoute('GET', '/login', q('tx=T'), (n) => (n === 'next-router-prefetch' ? '1' : undefined))).toBeUndefined();
    expect(hotRoute('POST', '/login', q('tx=T'), none)).toBe('login-post');
    expect(hotRoute('HEAD', '/login', q('tx=T'), none)).toBeUndefined();
    expect(hotRoute('GET', '/login/', q('tx=T'), none)).toBeUndefined();
  });

  it('/oauth2/token for every method its route exports; HEAD and other paths go to Next', () => {
    for (const m of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) expect(hotRoute(m, '/oauth2/token', q(), none)).toBe('token');
    expect(hotRoute('HEAD', '/oauth2/token', q(), none)).toBeUndefined();
    for (const p of ['/oauth2/revoke', '/oauth2/userInfo', '/mfa', '/logout', '/', '/healthz']) expect(hotRoute('POST', p, q(), none)).toBeUndefined();
  });

  it('only origin-form targets; anything Next would normalise is left to it', () => {
    expect(targetOf('/login?tx=T&lang=es')).toMatchObject({ pathname: '/login', search: '?tx=T&lang=es' });
    expect(targetOf('/login?tx=T')!.query.get('tx')).toBe('T');
    expect(targetOf('/oauth2/token')).toMatchObject({ pathname: '/oauth2/token', search: '' });
    expect(targetOf('//evil.example/login')).toBeUndefined();
    expect(targetOf('http://localhost/login')).toBeUndefined();
    expect(targetOf('*')).toBeUndefined();
    expect(targetOf(undefined)).toBeUndefined();
  });
});

describe('front-door rules (shared with proxy.ts)', () => {
  const req = (o: Partial<FrontDoorRequest> & { headers?: Record<string, string>; cookies?: Record<string, string> }): FrontDoorRequest => ({
    method: o.method ?? 'POST',
    path: o.path ?? '/login',
    query: o.query ?? new URLSearchParams(),
    header: (n) => o.headers?.[n] ?? null,
    cookie: (n) => o.cookies?.[n],
    scheme: 'http',
  });
  const PUBLIC = 'http://localhost:3000';

  it('refuses a form POST from another site; accepts no Origin, its own, and Origin null with Sec-Fetch-Site same-origin', () => {
    expect(postAllowed(req({ headers: { origin: 'https://evil.example', host: 'localhost:3000' } }), PUBLIC)).toBe(false);
    expect(postAllowed(req({ headers: { origin: 'null', host: 'localhost:3000' } }), PUBLIC)).toBe(false);
    expect(postAllowed(req({ headers: { origin: 'null', 'sec-fetch-site': 'same-origin', host: 'localhost:3000' } }), PUBLIC)).toBe(true);
    expect(postAllowed(req({ headers: { origin: PUBLIC, host: 'localhost:3000' } }), PUBLIC)).toBe(true);
    expect(postAllowed(req({ headers: { host: 'localhost:3000' } }), PUBLIC)).toBe(true);
    // Behind a TLS proxy the request's own origin is https.
    expect(postAllowed(req({ headers: { origin: 'https://auth.example', host: 'auth.example', 'x-forwarded-proto': 'https' } }), PUBLIC)).toBe(true);
  });

  it('lets cross-site POSTs through to the token endpoint and the authorization endpoint, and never checks a GET', () => {
    const foreign = { origin: 'https://evil.example', host: 'localhost:3000' };
    expect(postAllowed(req({ path: '/oauth2/token', headers: foreign }), PUBLIC)).toBe(true);
    expect(postAllowed(req({ path: '/oauth2/authorize', headers: foreign }), PUBLIC)).toBe(true);
    expect(postAllowed(req({ method: 'GET', headers: foreign }), PUBLIC)).toBe(true);
  });

  it('negotiates the locale and remembers an explicit lang only when the cookie differs', () => {
    expect(localeOfRequest(req({ query: new URLSearchParams('ui_locales=ar'), headers: { 'accept-language': 'es' } }))).toBe('ar');
    expect(localeOfRequest(req({ cookies: { lang: 'es' }, headers: { 'accept-language': 'ar' } }))).toBe('es');
    expect(localeToRemember(req({ query: new URLSearchParams('lang=es-MX') }))).toBe('es');
    expect(localeToRemember(req({ query: new URLSearchParams('lang=es'), cookies: { lang: 'es' } }))).toBeUndefined();
    expect(localeToRemember(req({ query: new URLSearchParams('lang=sw') }))).toBeUndefined();
  });

  it('writes the lang cookie as Next writes it for proxy.ts', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(localeCookieHeader('es', false, now)).toBe('lang=es; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; Max-Age=31536000; HttpOnly; SameSite=lax');
    expect(localeCookieHeader('ar', true, now)).toBe('lang=ar; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; Max-Age=31536000; Secure; HttpOnly; SameSite=lax');
  });
});

describe('cookies as Next reads them', () => {
  it('decodes values, keeps the last of a name, skips broken ones', () => {
    expect(parseCookies('a=1; b=x%20y;a=2; flag; bad=%E0%A4%A')).toEqual({ a: '2', b: 'x y', flag: 'true' });
    expect(parseCookies(undefined)).toEqual({});
  });
});

describe('the App Router stylesheet in a build', () => {
  const scratchDir = scratchDirs('portico-css-');
  function build(manifest: string | undefined): string {
    const dist = scratchDir();
    if (manifest !== undefined) {
      const dir = path.join(dist, 'server', 'app', '(hosted)', 'login');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'page_client-reference-manifest.js'), manifest);
    }
    return dist;
  }
  const manifest = (css: Record<string, unknown>) =>
    `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST["/(hosted)/login/page"] = ${JSON.stringify({ clientModules: {}, entryCSSFiles: css })};`;

  it("reads the root layout's (and the login page's) CSS, in order, once each", () => {
    const dist = build(
      manifest({
        '[project]/app/layout': [{ path: 'static/chunks/a.css', inlined: false }],
        '[project]/app/(hosted)/login/page': [{ path: 'static/chunks/a.css', inlined: false }, { path: 'static/chunks/b.css', inlined: false }],
        '[project]/node_modules/next/dist/client/components/builtin/global-error': [{ path: 'static/chunks/c.css', inlined: false }],
      }),
    );
    expect(appStylesheets(dist)).toEqual(['/_next/static/chunks/a.css', '/_next/static/chunks/b.css']);
  });

  it('stops with a message when there is no build, no layout CSS, or inlined CSS', () => {
    expect(() => appStylesheets(build(undefined))).toThrow(StylesheetError);
    expect(() => appStylesheets(build(manifest({})))).toThrow(/names no stylesheet/);
    expect(() => appStylesheets(build(manifest({ '[project]/app/layout': [{ path: 'static/chunks/a.css', inlined: true }] })))).toThrow(/inlined/);
  });
});
