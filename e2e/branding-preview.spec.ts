import { expect, test } from '@playwright/test';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { E2E_URL, adminClient, adminCredentials, waitUntilKnown } from './fixtures';

/**
 * The admin preview (lib/branding/preview) draws every hosted page in a client's theme, in Arabic and
 * the dark scheme forced over the browser's light one, without a console error (CSP violations
 * included), with the page policy and no caching.
 */
const PAGES = ['login', 'login-error', 'mfa', 'mfa/select', 'mfa/setup', 'new-password', 'signup', 'confirmUser', 'forgotPassword', 'confirmforgotPassword', 'account', 'error', 'logout'];
const DARK_BRAND = '#fdba74';

function basic(): string {
  const { keyId, secret } = adminCredentials();
  return `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`;
}

let clientId: string;

test.beforeAll(async () => {
  const admin = adminClient();
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'e2e preview' }))).UserPool!.Id!;
  clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'Preview app' }))).UserPoolClient!.ClientId!;
  // The theme API finds the client's pool through the client map, which learns new clients within ~2 s.
  await waitUntilKnown(clientId);
  const res = await fetch(`${E2E_URL}/admin/themes/client/${clientId}`, {
    method: 'PUT',
    headers: { authorization: basic(), 'content-type': 'application/json' },
    body: JSON.stringify({ colors: { light: { brand: '#7c2d12' }, dark: { brand: DARK_BRAND } }, cornerRadius: 12, termsUrl: 'https://example.com/terms' }),
  });
  expect(res.status).toBe(200);
});

test('the preview needs the admin credentials', async ({ request }) => {
  const res = await request.get('/admin/preview', { failOnStatusCode: false });
  expect(res.status()).toBe(401);
  expect(res.headers()['www-authenticate']).toMatch(/^Basic /);
});

test('every hosted page renders in ar + dark without console errors', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'light', extraHTTPHeaders: { authorization: basic() } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

  const index = await page.goto(`/admin/preview?client_id=${clientId}&locale=ar&scheme=dark`);
  expect(index!.status()).toBe(200);
  for (const name of PAGES) await expect(page.locator(`a[href^="/admin/preview/${name}?"]`).first()).toBeVisible();

  for (const name of PAGES) {
    const res = await page.goto(`/admin/preview/${name}?client_id=${clientId}&locale=ar&scheme=dark`);
    expect(res!.status(), name).toBe(200);
    const headers = res!.headers();
    expect(headers['cache-control'], name).toBe('no-store');
    expect(headers['content-security-policy'], name).toContain("frame-ancestors 'none'");
    await expect(page.locator('html'), name).toHaveAttribute('lang', 'ar');
    await expect(page.locator('html'), name).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('[data-portico-preview]'), name).toBeVisible();
    await expect(page.locator('h1').first(), name).toBeVisible();
    // The dark set, though the browser prefers light.
    const brand = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--p-brand').trim());
    expect(brand, name).toBe(DARK_BRAND);
    for (const action of await page.locator('form[method="post"]').evaluateAll((forms) => forms.map((f) => f.getAttribute('action')))) {
      expect(action, name).toBe('#');
    }
  }
  expect(errors).toEqual([]);

  // A submitted sample form changes nothing and comes back to its page.
  await page.goto(`/admin/preview/login?client_id=${clientId}&locale=ar&scheme=dark`);
  await page.locator('#username').fill('someone');
  await page.locator('#password').fill('Sample1234');
  await page.locator('form[method="post"] button[type="submit"]').first().click();
  await page.waitForURL((u) => u.pathname === '/admin/preview/login');
  await expect(page.locator('[data-portico-preview]')).toBeVisible();
  await context.close();
});
