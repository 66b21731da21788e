import { expect, test, type Page } from '@playwright/test';
import * as client from 'openid-client';
import { E2E_PASSWORD, E2E_URL, createOAuthClient, createPool, createUser, signInOnForm, startRelyingParty, type RelyingParty } from './fixtures';

/**
 * openid-client v6 as a relying party of Portico — once as a confidential client (client_secret_basic)
 * and once as a public client (PKCE, no secret) — with the sign-in in a real browser, JavaScript on and
 * off: discovery, authorization URL with state, nonce and PKCE, the callback (received by a stand-in
 * RP server), code exchange with every check, UserInfo, refresh, revocation and RP-initiated logout back
 * to the registered post_logout_redirect_uri with state.
 */
let rp: RelyingParty;
let CALLBACK: string;
let BYE: string;

let poolId: string;
let issuer: URL;
const apps: Record<'confidential' | 'public', { clientId: string; clientSecret?: string }> = {} as never;

test.beforeAll(async () => {
  rp = await startRelyingParty();
  CALLBACK = `${rp.origin}/cb`;
  BYE = `${rp.origin}/bye`;
  poolId = await createPool('openid-client RP');
  issuer = new URL(`${E2E_URL}/${poolId}`);
  apps.confidential = await createOAuthClient(poolId, { name: 'confidential RP', secret: true, callbackUrls: [CALLBACK], logoutUrls: [BYE] });
  apps.public = await createOAuthClient(poolId, { name: 'public RP', secret: false, callbackUrls: [CALLBACK], logoutUrls: [BYE] });
  await createUser(poolId, 'rp-user');
});

test.afterAll(async () => {
  await rp?.close();
});

async function configFor(kind: 'confidential' | 'public'): Promise<client.Configuration> {
  const app = apps[kind];
  const auth = kind === 'confidential' ? client.ClientSecretBasic(app.clientSecret!) : client.None();
  return client.discovery(issuer, app.clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
}

async function authorizationRequest(config: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}

async function signIn(page: Page, config: client.Configuration) {
  const req = await authorizationRequest(config);
  await page.goto(req.url.href);
  await expect(page).toHaveURL(/\/login\?tx=/);
  const callback = rp.next();
  await signInOnForm(page, 'rp-user', E2E_PASSWORD);
  return { ...req, callback: await callback };
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`openid-client v6, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    for (const kind of ['confidential', 'public'] as const) {
      test(`${kind} client: discovery, code + PKCE, userinfo, refresh, revoke, logout`, async ({ page }) => {
        const config = await configFor(kind);
        const meta = config.serverMetadata();
        expect(meta.issuer).toBe(issuer.href);
        expect(meta.code_challenge_methods_supported).toEqual(['S256']);
        expect(meta.authorization_response_iss_parameter_supported).toBe(true);
        expect(meta.end_session_endpoint).toBe(`${E2E_URL}/logout`);

        const { callback, verifier, state, nonce } = await signIn(page, config);
        expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
        expect(callback.searchParams.get('state')).toBe(state);
        expect(callback.searchParams.get('iss')).toBe(issuer.href);

        const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
        const claims = tokens.claims()!;
        expect(claims.aud).toBe(apps[kind].clientId);
        expect(claims.nonce).toBe(nonce);
        expect(claims['cognito:username']).toBe('rp-user');
        expect(claims['email']).toBe('rp-user@example.com');
        expect(tokens.token_type.toLowerCase()).toBe('bearer');
        expect(tokens.refresh_token).toBeTruthy();

        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        expect(info.email).toBe('rp-user@example.com');
        expect(info['email_verified']).toBe('true');
        expect(info['username']).toBe('rp-user');

        const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
        expect(refreshed.access_token).not.toBe(tokens.access_token);
        expect(refreshed.claims()!.sub).toBe(claims.sub);
        expect(refreshed.claims()!.auth_time).toBe(claims.auth_time);
        expect((await client.fetchUserInfo(config, refreshed.access_token, claims.sub)).sub).toBe(claims.sub);

        await client.tokenRevocation(config, tokens.refresh_token!);
        const afterRevoke = await client.refreshTokenGrant(config, tokens.refresh_token!).then(
          () => 'refreshed',
          (e: { error?: string }) => e.error,
        );
        expect(afterRevoke).toBe('invalid_grant');

        const back = rp.next();
        await page.goto(client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: BYE, state: 'bye-state' }).href);
        const landed = await back;
        expect(`${landed.origin}${landed.pathname}`).toBe(BYE);
        expect(landed.searchParams.get('state')).toBe('bye-state');

        // The hosted session is gone: a silent request now fails.
        const silent = await authorizationRequest(config, { prompt: 'none' });
        const answer = rp.next();
        await page.goto(silent.url.href);
        const denied = await answer;
        expect(denied.searchParams.get('error')).toBe('login_required');
        expect(denied.searchParams.get('state')).toBe(silent.state);
        expect(denied.searchParams.get('iss')).toBe(issuer.href);
      });
    }

    test('state, nonce and PKCE checks hold: a wrong verifier or state is refused', async ({ page }) => {
      const config = await configFor('public');
      const { callback, verifier, state, nonce } = await signIn(page, config);
      const wrongState = await client
        .authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'another-state', expectedNonce: nonce })
        .then(() => 'accepted', (e: Error) => e.name);
      expect(wrongState).not.toBe('accepted');
      const wrongVerifier = await client
        .authorizationCodeGrant(config, callback, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: state, expectedNonce: nonce })
        .then(() => 'accepted', (e: { error?: string }) => e.error);
      expect(wrongVerifier).toBe('invalid_grant');
      // A failed exchange with a wrong verifier does not burn the code.
      const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      expect(tokens.claims()!.nonce).toBe(nonce);
    });
  });
}
