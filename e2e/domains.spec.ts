import http from 'node:http';
import { expect, test } from '@playwright/test';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { E2E_PASSWORD, E2E_URL, adminCredentials, createOAuthClient, createPool, createUser, signInOnForm, startRelyingParty, type RelyingParty } from './fixtures';

/**
 * A custom domain (README "Custom domains"): `auth.localhost` (Chromium resolves *.localhost to
 * loopback) registered through the admin API for one pool. A sign-in through it lands at the relying
 * party with a code whose tokens carry the domain's issuer and verify against the domain's JWKS;
 * discovery lives on the domain; another pool and an unknown host get 404s.
 */
const PORT = new URL(E2E_URL).port;
const HOST = 'auth.localhost';
const BASE = `http://${HOST}:${PORT}`;

let rp: RelyingParty;
let poolId: string;
let otherPool: string;
let app: { clientId: string; clientSecret?: string };

/** Node does not resolve *.localhost by itself: talk to the loopback server with the Host a browser sends. */
function onHost(host: string, method: string, path: string, o: { body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: 'localhost', port: Number(PORT), method, path, headers: { host: `${host}:${PORT}`, ...o.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

function adminAuth(): string {
  const { keyId, secret } = adminCredentials();
  return `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`;
}

test.beforeAll(async () => {
  rp = await startRelyingParty();
  poolId = await createPool('custom domain');
  otherPool = await createPool('not on the domain');
  app = await createOAuthClient(poolId, { name: 'domain app', secret: true, callbackUrls: [`${rp.origin}/cb`] });
  await createUser(poolId, 'domain-user');
  const put = await fetch(`${E2E_URL}/admin/domains/${HOST}`, {
    method: 'PUT',
    headers: { authorization: adminAuth(), 'content-type': 'application/json' },
    body: JSON.stringify({ poolId, baseUrl: BASE, defaultClientId: app.clientId }),
  });
  expect(put.status).toBe(200);
});

test.afterAll(async () => {
  await fetch(`${E2E_URL}/admin/domains/${HOST}`, { method: 'DELETE', headers: { authorization: adminAuth() } });
  await rp?.close();
});

test('a sign-in through the custom domain lands at the app with a code whose tokens carry the domain issuer', async ({ page }) => {
  const issuer = `${BASE}/${poolId}`;
  const discovery = await onHost(HOST, 'GET', `/${poolId}/.well-known/openid-configuration`);
  expect(discovery.status).toBe(200);
  const meta = JSON.parse(discovery.body) as Record<string, string>;
  expect(meta['issuer']).toBe(issuer);
  expect(meta['authorization_endpoint']).toBe(`${BASE}/oauth2/authorize`);
  expect(meta['jwks_uri']).toBe(`${issuer}/.well-known/jwks.json`);

  const q = new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: `${rp.origin}/cb`, scope: 'openid email', state: 'st', nonce: 'nn' });
  await page.goto(`${meta['authorization_endpoint']}?${q}`);
  await expect(page).toHaveURL(new RegExp(`^${BASE.replace(/\./g, '\\.')}/login\\?tx=`));
  const callback = rp.next();
  await signInOnForm(page, 'domain-user', E2E_PASSWORD);
  const back = await callback;
  expect(back.searchParams.get('state')).toBe('st');
  expect(back.searchParams.get('iss')).toBe(issuer);
  // The browser's cookies belong to the domain, not to PORTICO_URL's host.
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.domain === HOST)).toBe(true);
  expect(cookies.some((c) => c.domain === 'localhost' && c.name.startsWith('portico_browser'))).toBe(false);

  const form = new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: `${rp.origin}/cb` });
  const token = await onHost(HOST, 'POST', '/oauth2/token', {
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` },
  });
  expect(token.status).toBe(200);
  const tokens = JSON.parse(token.body) as { id_token: string; access_token: string };
  const keys = await onHost(HOST, 'GET', `/${poolId}/.well-known/jwks.json`);
  expect(keys.status).toBe(200);
  const jwks = createLocalJWKSet(JSON.parse(keys.body) as JSONWebKeySet);
  const id = await jwtVerify(tokens.id_token, jwks, { issuer, audience: app.clientId });
  expect(id.payload['nonce']).toBe('nn');
  expect(id.payload['cognito:username']).toBe('domain-user');
  await jwtVerify(tokens.access_token, jwks, { issuer });
});

test('another pool is not served on the domain; an unknown host gets a clear 404', async ({ page }) => {
  expect((await onHost(HOST, 'GET', `/${otherPool}/.well-known/openid-configuration`)).status).toBe(404);
  // PORTICO_URL still serves every pool.
  expect((await fetch(`${E2E_URL}/${otherPool}/.well-known/openid-configuration`)).status).toBe(200);
  // X-Forwarded-Host from a peer that is not a trusted proxy changes nothing.
  const spoofed = await onHost('localhost', 'GET', `/${poolId}/.well-known/openid-configuration`, { headers: { 'x-forwarded-host': HOST, 'x-forwarded-proto': 'https' } });
  expect((JSON.parse(spoofed.body) as { issuer: string }).issuer).toBe(`${E2E_URL}/${poolId}`);

  const json = await onHost('nowhere.localhost', 'POST', '/oauth2/token', { body: 'grant_type=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(json.status).toBe(404);
  expect(JSON.parse(json.body)).toMatchObject({ error: 'unknown_host' });
  expect((await onHost('nowhere.localhost', 'GET', '/healthz')).status).toBe(200);

  const res = await page.goto(`http://nowhere.localhost:${PORT}/login`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unknown address');
});
