import { expect, test, type Page } from '@playwright/test';
import * as client from 'openid-client';
import { E2E_PASSWORD, E2E_URL, createOAuthClient, createPool, createUser, signInOnForm, startRelyingParty, type RelyingParty } from './fixtures';

/**
 * Single sign-on across two app clients of one pool, in the browser with JavaScript on and off: after
 * signing in to app A, app B gets a code without any form, with the same auth_time; after logout a
 * `prompt=none` request fails with login_required — also when the old session cookie is replayed.
 */
let rp: RelyingParty;
let CALLBACK_A: string;
let CALLBACK_B: string;
let LOGOUT_A: string;

let poolId: string;
let issuer: URL;
let appA: { clientId: string; clientSecret?: string };
let appB: { clientId: string; clientSecret?: string };

test.beforeAll(async () => {
  rp = await startRelyingParty();
  CALLBACK_A = `${rp.origin}/a/cb`;
  CALLBACK_B = `${rp.origin}/b/cb`;
  LOGOUT_A = `${rp.origin}/a/bye`;
  poolId = await createPool('SSO');
  issuer = new URL(`${E2E_URL}/${poolId}`);
  appA = await createOAuthClient(poolId, { name: 'app A', secret: true, callbackUrls: [CALLBACK_A], logoutUrls: [LOGOUT_A] });
  appB = await createOAuthClient(poolId, { name: 'app B', secret: false, callbackUrls: [CALLBACK_B] });
  await createUser(poolId, 'sso-user');
});

test.afterAll(async () => {
  await rp?.close();
});

async function config(app: { clientId: string; clientSecret?: string }): Promise<client.Configuration> {
  const auth = app.clientSecret ? client.ClientSecretPost(app.clientSecret) : client.None();
  return client.discovery(issuer, app.clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
}

async function request(cfg: client.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: redirectUri,
    scope: 'openid email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}

function formPages(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === E2E_URL && u.pathname === '/login') seen.push(u.href);
  });
  return seen;
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`single sign-on, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('a second client signs in silently; after logout prompt=none gives login_required', async ({ page, context }) => {
      const cfgA = await config(appA);
      const cfgB = await config(appB);

      // App A: the sign-in form.
      const a = await request(cfgA, CALLBACK_A);
      await page.goto(a.url.href);
      await expect(page).toHaveURL(/\/login\?tx=/);
      const gotA = rp.next();
      await signInOnForm(page, 'sso-user', E2E_PASSWORD);
      const tokensA = await client.authorizationCodeGrant(cfgA, await gotA, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
      const sessionCookie = (await context.cookies()).find((c) => c.name === 'portico_session');
      expect(sessionCookie?.httpOnly).toBe(true);
      expect(sessionCookie?.sameSite).toBe('Lax');

      // App B: no form, a code at once, tokens for B resting on A's sign-in.
      const forms = formPages(page);
      const b = await request(cfgB, CALLBACK_B, { prompt: 'none' });
      const gotB = rp.next();
      await page.goto(b.url.href);
      const callbackB = await gotB;
      expect(forms).toEqual([]);
      expect(`${callbackB.origin}${callbackB.pathname}`).toBe(CALLBACK_B);
      expect(callbackB.searchParams.get('iss')).toBe(issuer.href);
      const tokensB = await client.authorizationCodeGrant(cfgB, callbackB, { pkceCodeVerifier: b.verifier, expectedState: b.state, expectedNonce: b.nonce });
      const claimsA = tokensA.claims()!;
      const claimsB = tokensB.claims()!;
      expect(claimsB.aud).toBe(appB.clientId);
      expect(claimsB.sub).toBe(claimsA.sub);
      expect(claimsB.auth_time).toBe(claimsA.auth_time);
      expect(claimsB.nonce).toBe(b.nonce);

      // prompt=login still asks for the password.
      const again = await request(cfgB, CALLBACK_B, { prompt: 'login' });
      await page.goto(again.url.href);
      await expect(page).toHaveURL(/\/login\?tx=/);

      // Logout from app A (Cognito mode A) ends the hosted session on the server.
      const bye = rp.next();
      await page.goto(`${E2E_URL}/logout?${new URLSearchParams({ client_id: appA.clientId, logout_uri: LOGOUT_A })}`);
      expect((await bye).href).toBe(LOGOUT_A);
      expect((await context.cookies()).find((c) => c.name === 'portico_session')).toBeUndefined();

      const none = await request(cfgB, CALLBACK_B, { prompt: 'none' });
      const refused = rp.next();
      await page.goto(none.url.href);
      const err = await refused;
      expect(err.searchParams.get('error')).toBe('login_required');
      expect(err.searchParams.get('state')).toBe(none.state);

      // Replaying the old cookie does not bring the session back.
      await context.addCookies([sessionCookie!]);
      const replay = await request(cfgB, CALLBACK_B, { prompt: 'none' });
      const refusedAgain = rp.next();
      await page.goto(replay.url.href);
      expect((await refusedAgain).searchParams.get('error')).toBe('login_required');
    });
  });
}
