import { expect, test, type Page } from '@playwright/test';
import {
  E2E_PASSWORD,
  E2E_URL,
  adminCredentials,
  createOAuthClient,
  createPool,
  startRelyingParty,
  type RelyingParty,
} from './fixtures';

/**
 * Self sign-up in a real browser, JavaScript on and off: sign up → code from /dev/outbox → confirmed →
 * back at the relying party with a code; the same with the emailed link; a new code after the cooldown
 * (the e2e server's is 2 s); bad input that keeps what was typed except the passwords.
 */
let rp: RelyingParty;
let CALLBACK: string;
const apps = {} as Record<'code' | 'link', { clientId: string }>;

test.beforeAll(async () => {
  rp = await startRelyingParty();
  CALLBACK = `${rp.origin}/cb`;
  const schema = [
    { Name: 'email', AttributeDataType: 'String' as const, Required: true, Mutable: true },
    { Name: 'team', AttributeDataType: 'String' as const, Mutable: true },
  ];
  const flows = { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] as ('ALLOW_USER_SRP_AUTH' | 'ALLOW_REFRESH_TOKEN_AUTH' | 'ALLOW_USER_AUTH')[] };
  const codePool = await createPool('Sign-up by code', { AutoVerifiedAttributes: ['email'], Schema: schema });
  apps.code = await createOAuthClient(codePool, { name: 'Sign-up app', secret: true, callbackUrls: [CALLBACK], ...flows });
  const linkPool = await createPool('Sign-up by link', {
    AutoVerifiedAttributes: ['email'],
    Schema: schema,
    VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK' },
  });
  apps.link = await createOAuthClient(linkPool, { name: 'Link app', secret: true, callbackUrls: [CALLBACK], ...flows });
});

test.afterAll(async () => {
  await rp?.close();
});

interface OutboxMessage {
  to: string;
  text: string;
  createdAt: string;
}

async function messagesTo(to: string): Promise<OutboxMessage[]> {
  const { keyId, secret } = adminCredentials();
  const res = await fetch(`${E2E_URL}/dev/outbox`, {
    headers: { accept: 'application/json', authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as OutboxMessage[]).filter((m) => m.to === to);
}

async function newestText(to: string, count = 1): Promise<string> {
  await expect.poll(async () => (await messagesTo(to)).length).toBeGreaterThanOrEqual(count);
  return (await messagesTo(to))[0]!.text;
}

function codeIn(text: string): string {
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  expect(code, text).toBeDefined();
  return code!;
}

function signupUrl(clientId: string): string {
  const q = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email', state: 'S' });
  return `${E2E_URL}/signup?${q}`;
}

async function fillSignup(page: Page, username: string, o: { email?: string; password?: string; confirm?: string } = {}): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#attr-email').fill(o.email ?? `${username}@example.com`);
  await page.locator('#attr-custom-team').fill('blue');
  await page.locator('#password').fill(o.password ?? E2E_PASSWORD);
  await page.locator('#confirm').fill(o.confirm ?? o.password ?? E2E_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

async function expectAtApp(page: Page): Promise<void> {
  await page.waitForURL((u) => u.href.startsWith(CALLBACK));
  const at = new URL(page.url());
  expect(`${at.origin}${at.pathname}`).toBe(CALLBACK);
  expect(at.searchParams.get('code')).toBeTruthy();
  expect(at.searchParams.get('state')).toBe('S');
  await expect(page.getByText('relying party')).toBeVisible();
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });
    const suffix = js ? 'js' : 'nojs';

    test('sign up, enter the code from the outbox, land at the app signed in', async ({ page }) => {
      const name = `code-${suffix}-${Date.now()}`;
      await page.goto(signupUrl(apps.code.clientId));
      await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
      await expect(page.locator('#username')).toHaveAttribute('autocomplete', 'username');
      await expect(page.locator('#attr-email')).toHaveAttribute('type', 'email');
      await expect(page.locator('#password')).toHaveAttribute('autocomplete', 'new-password');
      await fillSignup(page, name);
      await expect(page).toHaveURL(/\/confirmUser\?/);
      await expect(page.getByText(/We sent a code to/)).toBeVisible();
      const code = codeIn(await newestText(`${name}@example.com`));
      const field = page.locator('#code');
      await expect(field).toHaveAttribute('autocomplete', 'one-time-code');
      await expect(field).toHaveAttribute('inputmode', 'numeric');
      await field.fill(code);
      await page.getByRole('button', { name: 'Confirm account' }).click();
      await expectAtApp(page);
    });

    test('sign up, open the emailed link, land at the app signed in', async ({ page }) => {
      const name = `link-${suffix}-${Date.now()}`;
      await page.goto(signupUrl(apps.link.clientId));
      await fillSignup(page, name);
      await expect(page).toHaveURL(/\/confirmUser\?/);
      const link = /https?:\/\/\S+\/confirmUser\?\S+/.exec(await newestText(`${name}@example.com`))?.[0];
      expect(link).toBeDefined();
      await page.goto(link!.replace(/[.)>]+$/, ''));
      await expectAtApp(page);
    });

    test('ask for a new code after the cooldown and confirm with it', async ({ page }) => {
      const name = `resend-${suffix}-${Date.now()}`;
      await page.goto(signupUrl(apps.code.clientId));
      await fillSignup(page, name);
      await expect(page).toHaveURL(/\/confirmUser\?/);
      const first = codeIn(await newestText(`${name}@example.com`));
      const resend = page.getByRole('button', { name: 'Send a new code' });
      await expect(resend).toBeDisabled();
      await expect(page.getByText(/You can ask for a new code in \d+ s/)).toBeVisible();
      if (js) {
        // The countdown enables the button by itself.
        await expect(resend).toBeEnabled({ timeout: 5_000 });
      } else {
        await page.waitForTimeout(2_500);
        await page.reload();
      }
      await resend.click();
      await expect(page.getByText('We sent a new code.')).toBeVisible();
      const texts = await messagesTo(`${name}@example.com`);
      expect(texts.length).toBe(2);
      const second = codeIn(texts[0]!.text);
      await page.locator('#code').fill(second);
      await page.getByRole('button', { name: 'Confirm account' }).click();
      await expectAtApp(page);
    });

    test('bad input gets a message next to each field and keeps what was typed, except the passwords', async ({ page }) => {
      const name = `bad-${suffix}-${Date.now()}`;
      await page.goto(signupUrl(apps.code.clientId));
      if (js) {
        // Without the browser's own checks, so the server's answer is what is tested.
        await page.locator('main form').first().evaluate((f) => f.setAttribute('novalidate', ''));
      }
      await page.locator('#attr-email').evaluate((el) => el.setAttribute('type', 'text'));
      await fillSignup(page, name, { email: 'not-an-email', password: 'weak', confirm: 'weak' });
      const summary = page.locator('#error-summary');
      await expect(summary).toBeVisible();
      await expect(summary).toBeFocused();
      await expect(page.locator('#attr-email-error')).toHaveText('Enter a valid email address.');
      await expect(page.locator('#password-error')).toContainText('The password is too short.');
      await expect(page.locator('#password-error')).toContainText('The password needs an upper-case letter.');
      await expect(page.locator('#username')).toHaveValue(name);
      await expect(page.locator('#attr-email')).toHaveValue('not-an-email');
      await expect(page.locator('#attr-custom-team')).toHaveValue('blue');
      await expect(page.locator('#password')).toHaveValue('');
      await expect(page.locator('#confirm')).toHaveValue('');
      expect(await messagesTo(`${name}@example.com`)).toHaveLength(0);
    });
  });
}
