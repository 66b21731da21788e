import { expect, test, type Page } from '@playwright/test';
import * as client from 'openid-client';
import { E2E_PASSWORD, E2E_URL, createOAuthClient, createPool, createUser, signInOnForm, startRelyingParty, type RelyingParty } from './fixtures';

/**
 * /logout in the browser, JavaScript on and off: nothing redirects to an address the client has not
 * registered (an unregistered logout_uri, an altered post_logout_redirect_uri, a hint signed by another
 * pool); those requests get a translated confirmation page whose button signs out for real.
 */
let rp: RelyingParty;
let CALLBACK: string;
let BYE: string;

let poolId: string;
let otherPoolId: string;
let issuer: URL;
let app: { clientId: string; clientSecret?: string };
let otherApp: { clientId: string; clientSecret?: string };

test.beforeAll(async () => {
  rp = await startRelyingParty();
  CALLBACK = `${rp.origin}/cb`;
  BYE = `${rp.origin}/bye`;
  poolId = await createPool('logout');
  otherPoolId = await createPool('logout, other pool');
  issuer = new URL(`${E2E_URL}/${poolId}`);
  app = await createOAuthClient(poolId, { name: 'app', secret: false, callbackUrls: [CALLBACK], logoutUrls: [BYE] });
  otherApp = await createOAuthClient(otherPoolId, { name: 'other app', secret: false, callbackUrls: [CALLBACK], logoutUrls: [BYE] });
  await createUser(poolId, 'logout-user');
  await createUser(otherPoolId, 'logout-user');
});

test.afterAll(async () => {
  await rp?.close();
});

async function signedIn(page: Page, pool: string, who: { clientId: string }) {
  const cfg = await client.discovery(new URL(`${E2E_URL}/${pool}`), who.clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: CALLBACK,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  await page.goto(url.href);
  const cb = rp.next();
  await signInOnForm(page, 'logout-user', E2E_PASSWORD);
  const tokens = await client.authorizationCodeGrant(cfg, await cb, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
  return { cfg, idToken: tokens.id_token! };
}

async function expectConfirmation(page: Page) {
  await expect(page.getByRole('heading', { level: 1, name: 'Sign out?' })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('has not registered');
  expect(new URL(page.url()).pathname).toBe('/logout');
  expect(rp.urls.filter((u) => u.pathname === '/bye')).toEqual([]);
}

async function stillSignedIn(page: Page, cfg: client.Configuration): Promise<string | null> {
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: CALLBACK,
    scope: 'openid',
    prompt: 'none',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  const answer = rp.next();
  await page.goto(url.href);
  const got = await answer;
  return got.searchParams.get('error') ?? (got.searchParams.get('code') ? 'code' : null);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`logout, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('an unregistered logout_uri is not followed; the confirmation page signs out', async ({ page }) => {
      const { cfg } = await signedIn(page, poolId, app);
      await page.goto(`${E2E_URL}/logout?${new URLSearchParams({ client_id: app.clientId, logout_uri: 'https://evil.example/bye' })}`);
      await expectConfirmation(page);
      expect(await stillSignedIn(page, cfg)).toBe('code');

      await page.goto(`${E2E_URL}/logout?${new URLSearchParams({ client_id: app.clientId, logout_uri: 'https://evil.example/bye' })}`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'You are signed out' })).toBeVisible();
      expect(new URL(page.url()).pathname).toBe('/logout/done');
      expect(await stillSignedIn(page, cfg)).toBe('login_required');
    });

    test('an altered post_logout_redirect_uri gets the confirmation page', async ({ page }) => {
      const { cfg, idToken } = await signedIn(page, poolId, app);
      for (const target of [`${BYE}?foo=bar`, `${BYE}/`, `${rp.origin}/bye2`]) {
        await page.goto(client.buildEndSessionUrl(cfg, { id_token_hint: idToken, post_logout_redirect_uri: target, state: 's' }).href);
        await expectConfirmation(page);
      }
      expect(await stillSignedIn(page, cfg)).toBe('code');
    });

    test('an id_token_hint signed by another pool does not redirect', async ({ page }) => {
      const foreign = await signedIn(page, otherPoolId, otherApp);
      const { cfg, idToken } = await signedIn(page, poolId, app);
      // The other pool's genuine token, offered for this pool's client and its registered address…
      await page.goto(`${E2E_URL}/logout?${new URLSearchParams({ id_token_hint: foreign.idToken, client_id: app.clientId, post_logout_redirect_uri: BYE })}`);
      await expectConfirmation(page);
      // …and this pool's claims under the other pool's header and signature.
      const [, payload] = idToken.split('.');
      const [header, , signature] = foreign.idToken.split('.');
      await page.goto(`${E2E_URL}/logout?${new URLSearchParams({ id_token_hint: `${header}.${payload}.${signature}`, post_logout_redirect_uri: BYE })}`);
      await expectConfirmation(page);
      expect(await stillSignedIn(page, cfg)).toBe('code');
    });

    test('the confirmation page is translated', async ({ page }) => {
      await page.goto(`${E2E_URL}/logout?ui_locales=es`);
      await expect(page.getByRole('heading', { level: 1, name: '¿Cerrar sesión?' })).toBeVisible();
      await page.goto(`${E2E_URL}/logout?ui_locales=ar`);
      await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
      await page.getByRole('button', { name: 'تسجيل الخروج' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'تم تسجيل خروجك' })).toBeVisible();
    });

    test('a logout form posted from another site is refused', async ({ page }) => {
      const res = await page.request.post(`${E2E_URL}/logout`, { headers: { origin: 'https://evil.example' }, form: { csrf: 'x' } });
      expect(res.status()).toBe(403);
    });
  });
}
