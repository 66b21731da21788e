import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpOut } from '../../lib/hosted/http';
import { handleSignIn } from '../../lib/hosted/signin';
import { loadTransaction } from '../../lib/hosted/transactions';
import { lookupCode } from '../../lib/oauth/codes';
import { writeClientSettings } from '../../lib/settings/client-settings';
import { frameAncestorsFor, safeFrameAncestors } from '../../lib/hosted/embed/frame-policy';
import { EMBED_DATA_ID, EMBED_SCRIPT } from '../../lib/hosted/embed/completion';
import { securityHeaders } from '../../lib/security/headers';
import { postAllowed } from '../../lib/security/front-door';
import { NONCE_HEADER } from '../../lib/security/markers';
import { Browser, CALLBACK, PASSWORD, httpIn, location, makeOAuthClient, makeOAuthPool, makeUser } from './hosted-fixtures';

/**
 * Embedded mode, in-process: the authorization endpoint's parent check, the frame policy every door
 * applies (proxy.ts, lib/server/fast-path.ts), the cookies, and the completion page that posts the
 * response to the parent. e2e/embed.spec.ts shows a browser honouring it.
 */
const PARENT = 'https://parent.example';
const DEV_PARENT = 'http://127.0.0.1:4000';
let t: TestPool;
let rt: HostedRuntime;
let framed: { clientId: string };
let plain: { clientId: string };

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  const poolId = await makeOAuthPool(t);
  framed = await makeOAuthClient(t, poolId, { ClientName: 'framed' });
  plain = await makeOAuthClient(t, poolId, { ClientName: 'plain' });
  await writeClientSettings(rt.db, framed.clientId, { frameOrigins: [PARENT, DEV_PARENT] }, rt.clock.now());
  await makeUser(t, poolId, 'alice', { attributes: { email: 'alice@example.com', email_verified: 'true' } });
});
afterAll(async () => t?.close());

const params = (clientId: string, extra: Record<string, string> = {}) => ({
  client_id: clientId,
  response_type: 'code',
  redirect_uri: CALLBACK,
  scope: 'openid email',
  state: 'st-embed',
  ...extra,
});
const embedded = (clientId: string, parent = PARENT, extra: Record<string, string> = {}) => params(clientId, { portico_embed: '1', portico_parent: parent, ...extra });

const policy = (pathAndQuery: string, headers: Record<string, string> = {}) => {
  const url = new URL(pathAndQuery, 'http://localhost:3000');
  return frameAncestorsFor({ path: url.pathname, query: url.searchParams, header: (n) => headers[n] ?? null }, async () => rt);
};

function cookieLine(out: HttpOut, name: string): string | undefined {
  return out.cookies?.find((c) => c.startsWith(`${name}=`));
}

describe('authorize in embedded mode', () => {
  it.each([
    ['a parent not on the list', () => embedded(framed.clientId, 'https://evil.example')],
    ['a client without frameOrigins', () => embedded(plain.clientId)],
    ['a parent with a path', () => embedded(framed.clientId, `${PARENT}/page`)],
    ['no parent', () => params(framed.clientId, { portico_embed: '1' })],
    ['a parent without the mode', () => params(framed.clientId, { portico_parent: PARENT })],
    ['another mode value', () => embedded(framed.clientId, PARENT, { portico_embed: 'yes' })],
  ])('refuses %s with the 400 page: no transaction, no cookie', async (_, make) => {
    const b = new Browser(rt);
    const out = await b.authorize(make());
    expect(out.status).toBe(400);
    expect(out.headers['location']).toBeUndefined();
    expect(out.cookies ?? []).toEqual([]);
    expect(out.body).toContain('<html');
  });

  it('refuses two parents', async () => {
    const q = new URLSearchParams(embedded(framed.clientId));
    q.append('portico_parent', DEV_PARENT);
    const b = new Browser(rt);
    const { handleAuthorize } = await import('../../lib/hosted/authorize');
    expect((await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${q}`, { cookies: b.cookies }))).status).toBe(400);
  });

  it('a listed parent starts a transaction that keeps it, with SameSite=None; Secure; Partitioned cookies', async () => {
    const b = new Browser(rt);
    const out = await b.authorize(embedded(framed.clientId, DEV_PARENT));
    expect(out.status).toBe(303);
    expect(location(out).pathname).toBe('/login');
    expect(cookieLine(out, 'portico_browser')).toMatch(/; HttpOnly; SameSite=None; Secure; Partitioned$/);
    const found = await loadTransaction(rt, b.txId, b.browserId);
    expect(found.ok && found.tx.state.request.embed).toEqual({ parent: DEV_PARENT });
  });

  it('an ordinary sign-in keeps Lax cookies and no embed state', async () => {
    const b = new Browser(rt);
    const out = await b.authorize(params(framed.clientId));
    expect(cookieLine(out, 'portico_browser')).toMatch(/SameSite=Lax$/);
    const found = await loadTransaction(rt, b.txId, b.browserId);
    expect(found.ok && found.tx.state.request.embed).toBeUndefined();
  });
});

describe('the frame policy', () => {
  it("names the client's listed origins on every page of an embedded transaction; the headers drop X-Frame-Options", async () => {
    const b = new Browser(rt);
    await b.authorize(embedded(framed.clientId));
    for (const path of ['/login', '/mfa', '/mfa/select', '/mfa/setup', '/new-password', '/signup', '/confirmUser', '/forgotPassword', '/confirmforgotPassword']) {
      expect(await policy(`${path}?tx=${b.txId}&lang=es`)).toEqual([PARENT, DEV_PARENT]);
    }
    expect(await policy(`/login?tx=${b.txId}`, { 'sec-fetch-dest': 'iframe' })).toEqual([PARENT, DEV_PARENT]);
    const h = securityHeaders({ nonce: 'n', https: false, frameAncestors: await policy(`/login?tx=${b.txId}`) });
    expect(h['content-security-policy']).toContain(`frame-ancestors ${PARENT} ${DEV_PARENT}`);
    expect(h['x-frame-options']).toBeUndefined();
  });

  it('a top-level navigation needs no frame permission (and no look-up)', async () => {
    const b = new Browser(rt);
    await b.authorize(embedded(framed.clientId));
    expect(await policy(`/login?tx=${b.txId}`, { 'sec-fetch-dest': 'document' })).toBeUndefined();
  });

  it("stays 'none' for an ordinary transaction, another client's, a forged embed marker, an unknown tx, /account and /error", async () => {
    const ordinary = new Browser(rt);
    await ordinary.authorize(params(framed.clientId));
    const other = new Browser(rt);
    await other.authorize(params(plain.clientId));
    expect(await policy(`/login?tx=${ordinary.txId}`)).toBeUndefined();
    expect(await policy(`/login?tx=${other.txId}&embed=1&portico_embed=1&portico_parent=${encodeURIComponent(PARENT)}&client_id=${framed.clientId}`)).toBeUndefined();
    expect(await policy(`/mfa?tx=nope&embed=1`)).toBeUndefined();
    expect(await policy(`/account?client_id=${framed.clientId}&embed=1`)).toBeUndefined();
    expect(await policy(`/error?error=expired&embed=1`)).toBeUndefined();
    expect(securityHeaders({ nonce: 'n', https: false, frameAncestors: await policy(`/login?tx=${other.txId}&embed=1`) })['x-frame-options']).toBe('DENY');
  });

  it('the authorization endpoint may be framed only when asked for a listed parent', async () => {
    const q = (o: Record<string, string>) => `/oauth2/authorize?${new URLSearchParams(o)}`;
    expect(await policy(q(embedded(framed.clientId)))).toEqual([PARENT, DEV_PARENT]);
    expect(await policy(`/login?${new URLSearchParams(embedded(framed.clientId))}`)).toEqual([PARENT, DEV_PARENT]);
    expect(await policy(q(embedded(framed.clientId, 'https://evil.example')))).toBeUndefined();
    expect(await policy(q(embedded(plain.clientId)))).toBeUndefined();
    expect(await policy(q(params(framed.clientId)))).toBeUndefined();
  });

  it('follows the settings: a parent removed from the list stops framing at once', async () => {
    const b = new Browser(rt);
    await b.authorize(embedded(framed.clientId, DEV_PARENT));
    await writeClientSettings(rt.db, framed.clientId, { frameOrigins: [PARENT] }, rt.clock.now());
    try {
      expect(await policy(`/login?tx=${b.txId}`)).toBeUndefined();
    } finally {
      await writeClientSettings(rt.db, framed.clientId, { frameOrigins: [PARENT, DEV_PARENT] }, rt.clock.now());
    }
  });

  it('a failing look-up leaves the page unframeable rather than failing it', async () => {
    const failing = async (): Promise<HostedRuntime> => {
      throw new Error('database down');
    };
    expect(await safeFrameAncestors({ path: '/login', query: new URLSearchParams({ tx: 'x' }), header: () => null }, failing)).toBeUndefined();
  });

  it('a form post from the parent itself is still refused (Origin check); only the frame’s own origin may post', () => {
    const door = (origin: string, fetchSite: string) => ({
      method: 'POST',
      path: '/login',
      query: new URLSearchParams(),
      header: (n: string) => ({ origin, host: 'localhost:3000', 'sec-fetch-site': fetchSite })[n] ?? null,
      cookie: () => undefined,
      scheme: 'http',
    });
    expect(postAllowed(door(PARENT, 'cross-site'), 'http://localhost:3000')).toBe(false);
    expect(postAllowed(door('http://localhost:3000', 'same-origin'), 'http://localhost:3000')).toBe(true);
  });
});

describe('completion in embedded mode', () => {
  it('posts {type, code, state, iss} to exactly the parent origin, with the redirect as the alternative', async () => {
    const b = new Browser(rt);
    await b.authorize(embedded(framed.clientId));
    const out = await b.post(
      async (r, req) => {
        req.headers.set(NONCE_HEADER, 'nonce-123');
        return handleSignIn(r, req);
      },
      { username: 'alice', password: PASSWORD },
    );
    expect(out.status).toBe(200);
    expect(out.headers['location']).toBeUndefined();
    expect(out.headers['cache-control']).toBe('no-store');
    expect(cookieLine(out, 'portico_session')).toMatch(/; HttpOnly; SameSite=None; Secure; Partitioned; Max-Age=3600$/);

    const data = JSON.parse(out.body.match(new RegExp(`<script type="application/json" id="${EMBED_DATA_ID}">(.*?)</script>`))![1]!) as {
      message: Record<string, string>;
      targetOrigin: string;
      location: string;
    };
    expect(data.targetOrigin).toBe(PARENT);
    expect(Object.keys(data.message).sort()).toEqual(['code', 'iss', 'state', 'type']);
    expect(data.message).toMatchObject({ type: 'portico:authorization_response', state: 'st-embed' });
    const live = await lookupCode({ db: rt.db, box: rt.box, now: () => rt.clock.now() }, data.message['code']!);
    expect(live.state).toBe('live');
    const to = new URL(data.location);
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    expect(to.searchParams.get('code')).toBe(data.message['code']);

    expect(out.body).toContain(`<script nonce="nonce-123">${EMBED_SCRIPT}</script>`);
    expect(EMBED_SCRIPT).toContain('postMessage(d.message,d.targetOrigin)');
    expect(out.body).not.toMatch(/postMessage\([^)]*'\*'/);
    expect(out.body).toContain(`target="_top"`);
    expect(out.body).toMatch(/<noscript><meta http-equiv="refresh" content="0;url=http:\/\/localhost:9\/cb\?/);
    expect(out.body).toContain('Returning to the app');
    expect(await loadTransaction(rt, b.txId, b.browserId)).toMatchObject({ ok: false });
  });

  it('is translated', async () => {
    const b = new Browser(rt);
    await b.authorize(embedded(framed.clientId, PARENT, { lang: 'ar' }));
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    expect(out.body).toContain('<html lang="ar" dir="rtl">');
    expect(out.body).toContain('جارٍ العودة إلى التطبيق');
  });

  it('a silent sign-in in the frame and prompt=none without a session answer through the parent too', async () => {
    const b = new Browser(rt);
    await b.authorize(embedded(framed.clientId));
    await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    const silent = await b.authorize(embedded(framed.clientId, DEV_PARENT));
    expect(silent.status).toBe(200);
    expect(silent.body).toContain(`"targetOrigin":"${DEV_PARENT}"`);
    expect(silent.body).toMatch(/"code":"[^"]+"/);

    const fresh = new Browser(rt);
    const none = await fresh.authorize(embedded(framed.clientId, PARENT, { prompt: 'none' }));
    expect(none.status).toBe(200);
    expect(none.body).toContain('"error":"login_required"');
    expect(none.body).toContain(`"targetOrigin":"${PARENT}"`);
  });

  it('an ordinary sign-in of the same client still redirects', async () => {
    const b = new Browser(rt);
    await b.authorize(params(framed.clientId));
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    expect(out.status).toBe(303);
    expect(cookieLine(out, 'portico_session')).toMatch(/SameSite=Lax/);
  });
});
