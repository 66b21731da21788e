import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { isPostgres } from '../../lib/db';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import { handleSignIn } from '../../lib/hosted/signin';
import { handleAuthorize } from '../../lib/hosted/authorize';
import { loadTransaction, TRANSACTION_TTL_MS } from '../../lib/hosted/transactions';
import { loadSsoSession } from '../../lib/hosted/sso-session';
import { lookupCode, redeemCode } from '../../lib/oauth/codes';
import { writeClientSettings } from '../../lib/settings/client-settings';
import { Browser, CALLBACK, PASSWORD, decodeJwt, httpIn, location, makeOAuthClient, makeOAuthPool, makeUser, pkcePair } from './hosted-fixtures';

/**
 * The authorization endpoint and the password form, driven in-process: SRP and USER_PASSWORD_AUTH
 * sign-ins ending in a code or an implicit response, errors on the form, the browser binding, CSRF and
 * the transaction's expiry (the only place the five minutes can be tested: the e2e server's clock can't move).
 */
let t: TestPool;
let rt: HostedRuntime;
let poolId: string;
let web: { clientId: string; secret?: string };
let spa: { clientId: string };
let pwdOnly: { clientId: string; secret?: string };

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  poolId = await makeOAuthPool(t);
  web = await makeOAuthClient(t, poolId);
  spa = await makeOAuthClient(t, poolId, { ClientName: 'spa', GenerateSecret: false });
  pwdOnly = await makeOAuthClient(t, poolId, { ClientName: 'pwd', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  await makeUser(t, poolId, 'alice', { attributes: { email: 'alice@example.com', email_verified: 'true', name: 'Alice' } });
});
afterAll(async () => t?.close());

const authParams = (clientId: string, extra: Record<string, string> = {}) => ({
  client_id: clientId,
  response_type: 'code',
  redirect_uri: CALLBACK,
  scope: 'openid email',
  state: 'st-1',
  nonce: 'n-1',
  ...extra,
});

async function startAt(clientId: string, extra: Record<string, string> = {}): Promise<Browser> {
  const b = new Browser(rt);
  const out = await b.authorize(authParams(clientId, extra));
  expect(out.status).toBe(303);
  expect(location(out).pathname).toBe('/login');
  return b;
}

describe('authorize → /login', () => {
  it('starts a transaction bound to a new browser cookie and sends the browser to the form with ?tx= only (plus language hints)', async () => {
    const b = new Browser(rt);
    const out = await b.authorize(authParams(web.clientId, { lang: 'es', ui_locales: 'ar', login_hint: 'alice' }));
    expect(out.status).toBe(303);
    const to = location(out);
    expect([...to.searchParams.keys()].sort()).toEqual(['lang', 'tx', 'ui_locales']);
    expect(to.searchParams.get('lang')).toBe('es');
    expect(out.cookies?.[0]).toMatch(/^portico_browser=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const tx = await loadTransaction(rt, b.txId, b.browserId);
    expect(tx.ok && tx.tx.state.typedUsername).toBe('alice');
    expect(tx.ok && tx.tx.state.step).toBe('login');
    // A second authorize in the same browser keeps the cookie.
    const again = await b.authorize(authParams(web.clientId));
    expect(again.cookies ?? []).toEqual([]);
  });

  it("falls back to the client's default language only when the request names none Portico ships", async () => {
    await writeClientSettings(rt.db, web.clientId, { defaultLocale: 'ar' }, t.clock.now());
    // No hint at all (and an unshipped Accept-Language): the client's default, carried as ui_locales.
    const out = await handleAuthorize(
      rt,
      httpIn('GET', `/oauth2/authorize?${new URLSearchParams(authParams(web.clientId))}`, { headers: { 'accept-language': 'sw-KE,sw;q=0.9' } }),
    );
    expect(location(out).pathname).toBe('/login');
    expect(location(out).searchParams.get('ui_locales')).toBe('ar');
    // A language the browser asks for wins over the client's default.
    const asked = await handleAuthorize(
      rt,
      httpIn('GET', `/oauth2/authorize?${new URLSearchParams(authParams(web.clientId))}`, { headers: { 'accept-language': 'es-ES,es;q=0.9' } }),
    );
    expect(location(asked).searchParams.get('ui_locales')).toBeNull();
    // Clients without the setting are untouched.
    const other = await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${new URLSearchParams(authParams(pwdOnly.clientId))}`));
    expect(location(other).pathname).toBe('/login');
    expect(location(other).searchParams.get('ui_locales')).toBeNull();
    await writeClientSettings(rt.db, web.clientId, {}, t.clock.now());
  });

  it('POST /oauth2/authorize works like GET', async () => {
    const b = new Browser(rt);
    const out = await b.authorize(authParams(web.clientId), 'POST');
    expect(out.status).toBe(303);
    expect(location(out).pathname).toBe('/login');
  });

  it('an unknown client gets a translated 400 page, never a redirect', async () => {
    const out = await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${new URLSearchParams(authParams('nope'))}`, { headers: { 'accept-language': 'es' } }));
    expect(out.status).toBe(400);
    expect(out.headers['location']).toBeUndefined();
    expect(out.headers['cache-control']).toBe('no-store');
    expect(out.body).toContain('lang="es"');
    expect(out.body).toContain('invalid_client');
  });

  it('an unregistered redirect_uri gets the error page', async () => {
    const out = await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${new URLSearchParams(authParams(web.clientId, { redirect_uri: 'https://evil.example/cb' }))}`));
    expect(out.status).toBe(400);
    expect(out.headers['location']).toBeUndefined();
    expect(out.body).toContain('redirect_mismatch');
  });

  it('a redirectable error goes back with error, state and iss', async () => {
    const out = await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${new URLSearchParams(authParams(spa.clientId))}`));
    expect(out.status).toBe(302);
    const to = location(out);
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    expect(to.searchParams.get('error')).toBe('invalid_request');
    expect(to.searchParams.get('state')).toBe('st-1');
    expect(to.searchParams.get('iss')).toBe(`${t.url}/${poolId}`);
  });

  it('prompt=none without a session → login_required at the callback', async () => {
    const b = new Browser(rt);
    const out = await b.authorize(authParams(web.clientId, { prompt: 'none' }));
    expect(out.status).toBe(302);
    const to = location(out);
    expect(to.searchParams.get('error')).toBe('login_required');
    expect(to.searchParams.get('state')).toBe('st-1');
    expect(to.searchParams.get('iss')).toBe(`${t.url}/${poolId}`);
  });
});

describe('the password form', () => {
  it('SRP sign-in of a confidential client ends in a code with state and iss, an SSO session and an ended transaction', async () => {
    const b = await startAt(web.clientId);
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    expect(out.status).toBe(303);
    const to = location(out);
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    expect([...to.searchParams.keys()].sort()).toEqual(['code', 'iss', 'state']);
    expect(to.searchParams.get('state')).toBe('st-1');
    expect(to.searchParams.get('iss')).toBe(`${t.url}/${poolId}`);

    const d = { db: rt.db, box: rt.box, now: () => rt.clock.now() };
    const code = await lookupCode(d, to.searchParams.get('code')!);
    expect(code.state).toBe('live');
    if (code.state !== 'live') return;
    expect(code.grant).toMatchObject({ clientId: web.clientId, redirectUri: CALLBACK, scopes: ['openid', 'email'], nonce: 'n-1' });
    const tokens = await redeemCode(d, code.digest);
    const id = decodeJwt(tokens!.idToken!);
    expect(id).toMatchObject({ nonce: 'n-1', 'cognito:username': 'alice', email: 'alice@example.com', aud: web.clientId });
    expect(id['name']).toBeUndefined();
    expect(decodeJwt(tokens!.accessToken)['scope']).toBe('openid email');
    expect(tokens!.refreshToken).toBeTruthy();

    const session = await loadSsoSession(rt, b.cookies['portico_session']);
    expect(session?.data).toMatchObject({ poolId, username: 'alice', clients: [web.clientId], authTime: id['auth_time'] });
    expect(out.cookies?.find((c) => c.startsWith('portico_session='))).toMatch(/HttpOnly; SameSite=Lax; Max-Age=3600$/);

    // The transaction is over: posting the form again lands on the expired page.
    const again = await b.post(handleSignIn, { username: 'alice', password: PASSWORD }, { path: `/login?tx=${b.txId}` });
    expect(location(again).pathname + location(again).search).toBe('/error?error=expired');
  });

  it('the same form posted twice at once: one completion stores a session and a code, the other lands on the expired page', async () => {
    const b = await startAt(web.clientId);
    const count = async (table: 'hosted_sessions' | 'auth_codes') =>
      Number((await rt.db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const [sessions, codes] = [await count('hosted_sessions'), await count('auth_codes')];
    const outs = await Promise.all([1, 2].map(() => b.post(handleSignIn, { username: 'alice', password: PASSWORD }, { path: `/login?tx=${b.txId}` })));
    const landed = outs.map((o) => location(o));
    expect(landed.filter((to) => `${to.origin}${to.pathname}` === CALLBACK && to.searchParams.has('code'))).toHaveLength(1);
    expect(landed.filter((to) => to.pathname + to.search === '/error?error=expired')).toHaveLength(1);
    expect(await count('hosted_sessions')).toBe(sessions + 1);
    expect(await count('auth_codes')).toBe(codes + 1);
  });

  it('stores the completion all or nothing: a code that cannot be stored leaves the transaction open and no session behind', async () => {
    const b = await startAt(web.clientId);
    const count = async () => Number((await rt.db.selectFrom('hosted_sessions').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const sessions = await count();
    // The database refuses every new code for a while.
    if (isPostgres(rt.db)) {
      await sql`create function refuse_codes() returns trigger language plpgsql as $$ begin raise exception 'no codes now'; end $$`.execute(rt.db);
      await sql`create trigger refuse_codes before insert on auth_codes for each row execute function refuse_codes()`.execute(rt.db);
    } else {
      await sql`create trigger refuse_codes before insert on auth_codes begin select raise(abort, 'no codes now'); end`.execute(rt.db);
    }
    try {
      const failed = await b.post(handleSignIn, { username: 'alice', password: PASSWORD }, { path: `/login?tx=${b.txId}` }).catch(() => undefined);
      expect(failed && location(failed).searchParams.has('code')).toBeFalsy();
    } finally {
      await sql`drop trigger refuse_codes${isPostgres(rt.db) ? sql` on auth_codes` : sql``}`.execute(rt.db);
      if (isPostgres(rt.db)) await sql`drop function refuse_codes()`.execute(rt.db);
    }
    expect((await loadTransaction(rt, b.txId, b.browserId)).ok).toBe(true);
    expect(await count()).toBe(sessions);
    // The same transaction completes once the database takes codes again.
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD }, { path: `/login?tx=${b.txId}` });
    expect(location(out).searchParams.has('code')).toBe(true);
    expect(await count()).toBe(sessions + 1);
  });

  it('a public client (PKCE) signs in; the code carries the challenge', async () => {
    const { challenge } = pkcePair();
    const b = await startAt(spa.clientId, { code_challenge: challenge, code_challenge_method: 'S256' });
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    const code = await lookupCode({ db: rt.db, box: rt.box, now: () => rt.clock.now() }, location(out).searchParams.get('code')!);
    expect(code.state === 'live' && code.grant.codeChallenge).toBe(challenge);
  });

  it('a client that allows only USER_PASSWORD_AUTH signs in with it', async () => {
    const b = await startAt(pwdOnly.clientId);
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    expect(location(out).searchParams.get('code')).toBeTruthy();
  });

  it('response_type=token answers in the fragment: access and ID token, token_type, expires_in, state, iss — no refresh token', async () => {
    const b = await startAt(web.clientId, { response_type: 'token' });
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    const to = location(out);
    expect(to.search).toBe('');
    const f = new URLSearchParams(to.hash.slice(1));
    expect([...f.keys()].sort()).toEqual(['access_token', 'expires_in', 'id_token', 'iss', 'state', 'token_type']);
    expect(f.get('token_type')).toBe('Bearer');
    expect(f.get('expires_in')).toBe('3600');
    expect(decodeJwt(f.get('id_token')!)['nonce']).toBe('n-1');
  });

  it('without openid the implicit response has no ID token', async () => {
    const b = await startAt(web.clientId, { response_type: 'token', scope: 'aws.cognito.signin.user.admin' });
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    const f = new URLSearchParams(location(out).hash.slice(1));
    expect(f.get('access_token')).toBeTruthy();
    expect(f.has('id_token')).toBe(false);
  });

  it('a wrong password comes back to the form with a translated error code and the username kept; then the right one works', async () => {
    const b = await startAt(web.clientId);
    const out = await b.post(handleSignIn, { username: 'alice', password: 'wrong-Passw0rd!' });
    const to = location(out);
    expect(to.pathname).toBe('/login');
    expect(to.searchParams.get('error')).toBe('wrong_credentials');
    expect(to.searchParams.get('tx')).toBe(b.txId);
    const tx = await loadTransaction(rt, b.txId, b.browserId);
    expect(tx.ok && tx.tx.state.typedUsername).toBe('alice');
    const ok = await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    expect(location(ok).searchParams.get('code')).toBeTruthy();
  });

  it('an unknown user gets the same error as a wrong password', async () => {
    const b = await startAt(web.clientId);
    const out = await b.post(handleSignIn, { username: 'nobody', password: PASSWORD });
    expect(location(out).searchParams.get('error')).toBe('wrong_credentials');
  });

  it('empty fields are refused without a pool call', async () => {
    const b = await startAt(web.clientId);
    const out = await b.post(handleSignIn, { username: 'alice', password: '' });
    expect(location(out).searchParams.get('error')).toBe('missing_fields');
  });
});

describe('binding and CSRF', () => {
  it('a wrong CSRF token gets a translated 403 page and no sign-in', async () => {
    const b = await startAt(web.clientId);
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD }, { csrf: 'forged' });
    expect(out.status).toBe(403);
    expect(out.headers['location']).toBeUndefined();
    expect(out.body).toContain('csrf');
    const tx = await loadTransaction(rt, b.txId, b.browserId);
    expect(tx.ok).toBe(true);
  });

  it('a missing CSRF token is refused too', async () => {
    const b = await startAt(web.clientId);
    const req = httpIn('POST', `/login?tx=${b.txId}`, { body: { username: 'alice', password: PASSWORD }, cookies: b.cookies });
    expect((await handleSignIn(rt, req)).status).toBe(403);
  });

  it("another browser's transaction id (with its own valid CSRF) lands on the expired page", async () => {
    const a = await startAt(web.clientId);
    const mallory = await startAt(web.clientId);
    mallory.txId = a.txId;
    const out = await mallory.post(handleSignIn, { username: 'alice', password: PASSWORD }, { path: `/login?tx=${a.txId}` });
    expect(location(out).pathname + location(out).search).toBe('/error?error=expired');
  });

  it('a transaction expires after five minutes', async () => {
    const b = await startAt(web.clientId);
    t.clock.advance(TRANSACTION_TTL_MS + 1000);
    const out = await b.post(handleSignIn, { username: 'alice', password: PASSWORD });
    expect(location(out).pathname).toBe('/error');
    expect(location(out).searchParams.get('error')).toBe('expired');
  });

  it('GET on a form handler is refused', async () => {
    const b = await startAt(web.clientId);
    const out = await handleSignIn(rt, httpIn('GET', `/login?tx=${b.txId}`, { cookies: b.cookies }));
    expect(out.status).toBe(405);
  });
});

describe('single sign-on at the authorization endpoint', () => {
  it('a live session answers another client silently (same auth_time); prompt=login and an exceeded max_age show the form', async () => {
    const b = await startAt(web.clientId);
    const first = location(await b.post(handleSignIn, { username: 'alice', password: PASSWORD }));
    const d = { db: rt.db, box: rt.box, now: () => rt.clock.now() };
    const firstCode = await lookupCode(d, first.searchParams.get('code')!);
    if (firstCode.state !== 'live') throw new Error('no code');
    t.clock.advance(5_000);

    const { challenge } = pkcePair();
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const silent = await b.authorize(authParams(spa.clientId, { ...pkce, nonce: 'n-2' }));
    expect(silent.status).toBe(302);
    const to = location(silent);
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    expect(to.searchParams.get('state')).toBe('st-1');
    expect(to.searchParams.get('iss')).toBe(`${t.url}/${poolId}`);
    const code = await lookupCode(d, to.searchParams.get('code')!);
    if (code.state !== 'live') throw new Error('no silent code');
    expect(code.grant).toMatchObject({ clientId: spa.clientId, authTime: firstCode.grant.authTime, codeChallenge: challenge });
    const tokens = await redeemCode(d, code.digest);
    expect(decodeJwt(tokens!.idToken!)).toMatchObject({ aud: spa.clientId, nonce: 'n-2', auth_time: firstCode.grant.authTime });

    const none = await b.authorize(authParams(spa.clientId, { ...pkce, prompt: 'none' }));
    expect(location(none).searchParams.get('code')).toBeTruthy();

    const forced = await b.authorize(authParams(spa.clientId, { ...pkce, prompt: 'login' }));
    expect(location(forced).pathname).toBe('/login');
    const tooOld = await b.authorize(authParams(spa.clientId, { ...pkce, max_age: '1' }));
    expect(location(tooOld).pathname).toBe('/login');
    const fresh = await b.authorize(authParams(spa.clientId, { ...pkce, max_age: '3600' }));
    expect(location(fresh).searchParams.get('code')).toBeTruthy();

    // Another browser has no session.
    const other = new Browser(rt);
    expect(location(await other.authorize(authParams(spa.clientId, { ...pkce, prompt: 'none' }))).searchParams.get('error')).toBe('login_required');
  });
});
