import { expect, test } from '@playwright/test';
import { SetUICustomizationCommand } from '@aws-sdk/client-cognito-identity-provider';
import { E2E_URL, adminClient, adminCredentials, createOAuthClient, createPool } from './fixtures';

/**
 * Branding end to end: a client theme (colours for light and dark, logo, layout, legal link) and the
 * pool's Cognito CSS show on the custom server's /login; the logo is served with its cache and sandbox
 * headers.
 */
const CALLBACK = 'http://localhost:9/callback';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#7c2d12"/></svg>';

let clientId: string;

function basic(): string {
  const { keyId, secret } = adminCredentials();
  return `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`;
}

test.beforeAll(async () => {
  const poolId = await createPool('branding-e2e');
  ({ clientId } = await createOAuthClient(poolId, { name: 'Branded app', secret: false, callbackUrls: [CALLBACK] }));
  const theme = {
    colors: { light: { brand: '#7c2d12', background: '#fff7ed' }, dark: { brand: '#fdba74', background: '#1c0a00' } },
    logo: `data:image/svg+xml;base64,${Buffer.from(SVG).toString('base64')}`,
    layout: 'plain',
    cornerRadius: 12,
    termsUrl: 'https://example.com/terms',
  };
  const res = await fetch(`${E2E_URL}/admin/themes/client/${clientId}`, { method: 'PUT', headers: { authorization: basic(), 'content-type': 'application/json' }, body: JSON.stringify(theme) });
  expect(res.status).toBe(200);
  await adminClient().send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: '.label-customizable { font-weight: 700; }' }));
});

async function openLogin(page: import('@playwright/test').Page): Promise<void> {
  const q = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
  await page.goto(`/oauth2/authorize?${q}`);
  await expect(page).toHaveURL(/\/login\?/);
}

test('the client theme shows on /login: colours, logo, layout, legal link, Cognito CSS', async ({ page }) => {
  await openLogin(page);
  const button = page.locator('main form[method=post] button[type=submit]').first();
  expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(124, 45, 18)');
  expect(await page.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 247, 237)');
  expect(await button.evaluate((el) => getComputedStyle(el).borderTopLeftRadius)).toBe('12px');
  expect(await page.locator('label').first().evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
  await expect(page.locator('.portico-hosted')).toHaveAttribute('data-layout', 'plain');
  const logo = page.locator('img.logo-customizable');
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(40);
  await expect(page.getByRole('link', { name: 'Terms of use' })).toHaveAttribute('href', 'https://example.com/terms');

  const src = (await logo.getAttribute('src'))!;
  const asset = await fetch(`${E2E_URL}${src}`);
  expect(asset.headers.get('content-type')).toBe('image/svg+xml');
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(asset.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
});

test.describe('dark scheme', () => {
  test.use({ colorScheme: 'dark' });
  test('uses the dark colour set', async ({ page }) => {
    await openLogin(page);
    expect(await page.locator('main form[method=post] button[type=submit]').first().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(253, 186, 116)');
    expect(await page.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(28, 10, 0)');
  });
});
