import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor, storedSsoSession } from '../helpers/hosted-runtime';
import { makeClient, makePool, makeUser } from './auth-fixtures';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpIn, HttpOut } from '../../lib/hosted/http';
import { logoutConfirm, logoutRequest, loggedOut } from '../../lib/hosted/logout';
import { loadSsoSession, type SsoSession } from '../../lib/hosted/sso-session';
import { poolKeys } from '../../lib/userpool/tokens';

/**
 * /logout in-process (lib/hosted/logout.ts): Cognito's two modes, OIDC RP-initiated logout with an
 * id_token_hint, and the confirmation page for everything else (security checklist §12). A redirect
 * happens only to an exactly registered address, and every sign-out removes the session record.
 */
let t: TestPool;
let rt: HostedRuntime;
let poolId: string;
let otherPoolId: string;
let clientId: string;
let otherClientId: string;
let foreignClientId: string;
let sub: string;
let idToken: string;
let accessToken: string;
let foreignIdToken: string;

const LOGOUT = 'https://rp.example/signed-out';
const CALLBACK = 'https://rp.example/cb';

async function tokensFor(pool: string, client: string, username: string) {
  const out = await t.adminClient().send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool,
      ClientId: client,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: 'Corr3ct-Horse!' },
    }),
  );
  return out.AuthenticationResult!;
}

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  poolId = await makePool(t);
  otherPoolId = await makePool(t, { PoolName: 'other' });
  const oauth = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code' as const],
    AllowedOAuthScopes: ['openid', 'email'],
    SupportedIdentityProviders: ['COGNITO'],
    CallbackURLs: [CALLBACK],
    LogoutURLs: [LOGOUT, 'myapp://bye'],
    ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const],
  };
  clientId = (await makeClient(t, poolId, oauth)).clientId;
  otherClientId = (await makeClient(t, poolId, { ...oauth, LogoutURLs: ['https://other.example/bye'] })).clientId;
  foreignClientId = (await makeClient(t, otherPoolId, oauth)).clientId;
  await makeUser(t, poolId, 'alice');
  await makeUser(t, otherPoolId, 'alice');
  const tokens = await tokensFor(poolId, clientId, 'alice');
  idToken = tokens.IdToken!;
  accessToken = tokens.AccessToken!;
  sub = decodeJwt(idToken).sub!;
  foreignIdToken = (await tokensFor(otherPoolId, foreignClientId, 'alice')).IdToken!;
});

afterAll(async () => {
  await t?.close();
});

function get(query: Record<string, string> | string, cookies: Record<string, string> = {}, headers: Record<string, string> = {}): HttpIn {
  const q = typeof query === 'string' ? query : new URLSearchParams(query).toString();
  return { method: 'GET', url: new URL(`${t.url}/logout?${q}`), headers: new Headers(headers), body: '', cookies };
}

async function session(pool = poolId, who = sub): Promise<SsoSession> {
  return storedSsoSession(rt, { poolId: pool, sub: who, username: 'alice', authTime: Math.floor(t.clock.now() / 1000), clients: [clientId] });
}

async function alive(s: SsoSession): Promise<boolean> {
  return (await loadSsoSession(rt, s.id)) !== undefined;
}

function expectConfirmation(out: HttpOut, refusedNote: boolean): string {
  expect(out.status).toBe(200);
  expect(out.headers.location).toBeUndefined();
  expect(out.headers['content-type']).toMatch(/^text\/html/);
  expect(out.body).toContain('<form method="post" action="/logout');
  expect(out.body).toMatch(/name="csrf" value="[A-Za-z0-9_-]{40,}"/);
  expect(out.body.includes('has not registered')).toBe(refusedNote);
  return /name="csrf" value="([^"]+)"/.exec(out.body)![1];
}

function expectSessionCleared(out: HttpOut): void {
  expect(out.cookies?.some((c) => /^portico_session=; .*Max-Age=0/.test(c))).toBe(true);
}

describe('Cognito mode A: client_id + logout_uri', () => {
  it('ends the session on the server and redirects to the exactly registered logout_uri', async () => {
    const s = await session();
    const out = await logoutRequest(rt, get({ client_id: clientId, logout_uri: LOGOUT }, { portico_session: s.id }));
    expect(out.status).toBe(302);
    expect(out.headers.location).toBe(LOGOUT);
    expectSessionCleared(out);
    expect(await alive(s)).toBe(false);
  });

  it('accepts a registered custom-scheme logout_uri', async () => {
    const out = await logoutRequest(rt, get({ client_id: clientId, logout_uri: 'myapp://bye' }));
    expect(out.status).toBe(302);
    expect(out.headers.location).toBe('myapp://bye');
  });

  for (const uri of [`${LOGOUT}/`, `${LOGOUT}?x=1`, `${LOGOUT}#f`, 'https://RP.example/signed-out', 'https://evil.example/signed-out', 'http://rp.example/signed-out']) {
    it(`never redirects to an unregistered logout_uri (${uri}): confirmation page, session kept`, async () => {
      const s = await session();
      const out = await logoutRequest(rt, get({ client_id: clientId, logout_uri: uri }, { portico_session: s.id }));
      expectConfirmation(out, true);
      expect(out.cookies?.some((c) => c.startsWith('portico_session='))).toBe(false);
      expect(await alive(s)).toBe(true);
    });
  }

  it("refuses another client's logout URL and unknown clients", async () => {
    expectConfirmation(await logoutRequest(rt, get({ client_id: otherClientId, logout_uri: LOGOUT })), true);
    expectConfirmation(await logoutRequest(rt, get({ client_id: 'nope', logout_uri: LOGOUT })), true);
    expectConfirmation(await logoutRequest(rt, get({ logout_uri: LOGOUT })), true);
  });

  it('refuses duplicated parameters', async () => {
    const q = `client_id=${clientId}&logout_uri=${encodeURIComponent(LOGOUT)}&logout_uri=${encodeURIComponent('https://evil.example/')}`;
    expectConfirmation(await logoutRequest(rt, get(q)), true);
  });

  it("leaves the session of another pool alone", async () => {
    const s = await session(otherPoolId);
    const out = await logoutRequest(rt, get({ client_id: clientId, logout_uri: LOGOUT }, { portico_session: s.id }));
    expect(out.status).toBe(302);
    expect(out.cookies ?? []).toEqual([]);
    expect(await alive(s)).toBe(true);
  });
});

describe('Cognito mode B: client_id + redirect_uri + response_type', () => {
  it('ends the session and starts a new sign-in with the same parameters', async () => {
    const s = await session();
    const out = await logoutRequest(
      rt,
      get({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid email', state: 'S 1', extra: 'x' }, { portico_session: s.id }),
    );
    expect(out.status).toBe(302);
    const to = new URL(out.headers.location, t.url);
    expect(to.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(to.searchParams)).toEqual({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid email', state: 'S 1' });
    expectSessionCleared(out);
    expect(await alive(s)).toBe(false);
  });

  it('refuses a redirect_uri that is not a callback URL, or a missing response_type', async () => {
    const s = await session();
    expectConfirmation(await logoutRequest(rt, get({ client_id: clientId, redirect_uri: LOGOUT, response_type: 'code' }, { portico_session: s.id })), true);
    expectConfirmation(await logoutRequest(rt, get({ client_id: clientId, redirect_uri: CALLBACK }, { portico_session: s.id })), true);
    expect(await alive(s)).toBe(true);
  });
});

describe('OIDC RP-initiated logout', () => {
  it('redirects to the registered post_logout_redirect_uri with state when the hint is valid', async () => {
    const s = await session();
    const out = await logoutRequest(rt, get({ id_token_hint: idToken, post_logout_redirect_uri: LOGOUT, state: 'st/+ate', client_id: clientId }, { portico_session: s.id }));
    expect(out.status).toBe(302);
    const to = new URL(out.headers.location);
    expect(`${to.origin}${to.pathname}`).toBe(LOGOUT);
    expect(to.searchParams.get('state')).toBe('st/+ate');
    expectSessionCleared(out);
    expect(await alive(s)).toBe(false);
  });

  it('redirects without state when none was sent', async () => {
    const out = await logoutRequest(rt, get({ id_token_hint: idToken, post_logout_redirect_uri: LOGOUT }));
    expect(out.headers.location).toBe(LOGOUT);
  });

  it('accepts an expired hint', async () => {
    t.clock.advance(2 * 3600_000);
    try {
      const out = await logoutRequest(rt, get({ id_token_hint: idToken, post_logout_redirect_uri: LOGOUT }));
      expect(out.status).toBe(302);
    } finally {
      t.clock.advance(-2 * 3600_000);
    }
  });

  it('a valid hint without a return address signs out and says so', async () => {
    const s = await session();
    const out = await logoutRequest(rt, get({ id_token_hint: idToken }, { portico_session: s.id }));
    expect(out.status).toBe(200);
    expect(out.body).toContain('You are signed out');
    expectSessionCleared(out);
    expect(await alive(s)).toBe(false);
  });

  it('an altered or unregistered post_logout_redirect_uri gets the confirmation page', async () => {
    const s = await session();
    for (const uri of [`${LOGOUT}?foo=bar`, `${LOGOUT}/`, 'https://evil.example/', 'https://other.example/bye']) {
      expectConfirmation(await logoutRequest(rt, get({ id_token_hint: idToken, post_logout_redirect_uri: uri }, { portico_session: s.id })), true);
    }
    expect(await alive(s)).toBe(true);
  });

  it('without a hint, even a registered post_logout_redirect_uri is not redirected to', async () => {
    expectConfirmation(await logoutRequest(rt, get({ client_id: clientId, post_logout_redirect_uri: LOGOUT })), true);
  });

  it("a client_id other than the hint's audience is refused", async () => {
    expectConfirmation(await logoutRequest(rt, get({ id_token_hint: idToken, client_id: otherClientId, post_logout_redirect_uri: LOGOUT })), true);
  });

  it('a hint signed with another pool\'s key, unsigned, an access token or garbage is not a hint', async () => {
    const keys = await poolKeys(t.engine.deps, otherPoolId);
    const claims = decodeJwt(idToken);
    const forged = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(idToken).kid! })
      .sign(keys.id.privateKey);
    const [h, p] = idToken.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${p}.`;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${idToken.split('.')[2]}`;
    for (const hint of [forged, unsigned, tampered, accessToken, 'not-a-jwt', foreignIdToken]) {
      const s = await session();
      const out = await logoutRequest(rt, get({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT, client_id: clientId }, { portico_session: s.id }));
      expectConfirmation(out, true);
      expect(await alive(s)).toBe(true);
    }
  });

  it("a hint for someone other than the signed-in person asks first", async () => {
    const s = await session(poolId, 'another-sub');
    expectConfirmation(await logoutRequest(rt, get({ id_token_hint: idToken, post_logout_redirect_uri: LOGOUT }, { portico_session: s.id })), true);
    expect(await alive(s)).toBe(true);
  });
});

describe('the confirmation page', () => {
  it('a bare /logout asks, and sets a browser cookie to bind the form to', async () => {
    const out = await logoutRequest(rt, get({}));
    expectConfirmation(out, false);
    expect(out.cookies?.some((c) => /^portico_browser=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Lax/.test(c))).toBe(true);
  });

  it('the POST with the right token ends the session and lands on "signed out"', async () => {
    const s = await session();
    const cookies = { portico_browser: 'browser-one-0123456789012345678901234567890', portico_session: s.id };
    const csrf = expectConfirmation(await logoutRequest(rt, get({}, cookies)), false);
    const out = await logoutConfirm(rt, { method: 'POST', url: new URL(`${t.url}/logout`), headers: new Headers(), body: `csrf=${csrf}`, cookies });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/logout/done');
    expectSessionCleared(out);
    expect(await alive(s)).toBe(false);
    const done = await loggedOut(rt, get({}));
    expect(done.status).toBe(200);
    expect(done.body).toContain('You are signed out');
  });

  it('refuses a missing token, a token from another browser and a repeated field', async () => {
    const s = await session();
    const mine = { portico_browser: 'browser-one-0123456789012345678901234567890', portico_session: s.id };
    const csrf = expectConfirmation(await logoutRequest(rt, get({}, mine)), false);
    const post = (body: string, cookies: Record<string, string>) =>
      logoutConfirm(rt, { method: 'POST', url: new URL(`${t.url}/logout`), headers: new Headers(), body, cookies });
    for (const out of [
      await post('', mine),
      await post(`csrf=${csrf}`, { ...mine, portico_browser: 'browser-two-0123456789012345678901234567890' }),
      await post(`csrf=${csrf}`, { portico_session: s.id }),
      await post(`csrf=${csrf}&csrf=${csrf}`, mine),
    ]) {
      expect(out.status).toBe(403);
      expect(out.headers.location).toBeUndefined();
      expect(out.body).toContain('Sign-out not confirmed');
    }
    expect(await alive(s)).toBe(true);
  });

  it('is translated (Spanish; Arabic right to left) and keeps the language through the form', async () => {
    const es = await logoutRequest(rt, get({ ui_locales: 'es' }));
    expect(es.body).toContain('<html lang="es" dir="ltr">');
    expect(es.body).toContain('¿Cerrar sesión?');
    expect(es.body).toContain('action="/logout?ui_locales=es"');
    const ar = await logoutRequest(rt, get({ lang: 'ar' }));
    expect(ar.body).toContain('<html lang="ar" dir="rtl">');
  });

  it('escapes what it reflects and carries the CSP nonce', async () => {
    const out = await logoutRequest(rt, get({ ui_locales: '"><script>x</script>' }, {}, { 'x-portico-nonce': 'n0nce' }));
    expect(out.body).not.toContain('<script>');
    expect(out.body).toContain('<style nonce="n0nce">');
  });
});
