import { expect, test, type Page } from '@playwright/test';
import {
  E2E_PASSWORD,
  E2E_URL,
  createOAuthClient,
  createPool,
  createUser,
  outboxCode,
  outboxCount,
  signInOnForm,
  startRelyingParty,
  type RelyingParty,
} from './fixtures';

/**
 * The forgotten-password journey in a real browser, JavaScript on and off: from the sign-in page to
 * /forgotPassword, a code from /dev/outbox, a new password (a wrong code and a weak password first),
 * back at the sign-in page with the notice, and a sign-in that lands on the app with a code. An unknown
 * name gets the very same page (its visible text compared with the name replaced), and "send a new
 * code" waits for the cooldown (2 s on the e2e server).
 */
let rp: RelyingParty;
let CALLBACK: string;
let poolId: string;
let clientId: string;
let clientSecret: string;
const NEW_PASSWORD = 'Fresh-Start-Passw0rd!';

test.beforeAll(async () => {
  rp = await startRelyingParty();
  CALLBACK = `${rp.origin}/cb`;
  poolId = await createPool('Recovery', {
    AutoVerifiedAttributes: ['email'],
    AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }] },
  });
  const client = await createOAuthClient(poolId, { name: 'Recovery app', secret: true, callbackUrls: [CALLBACK], PreventUserExistenceErrors: 'ENABLED' });
  clientId = client.clientId;
  clientSecret = client.clientSecret!;
});

test.afterAll(async () => {
  await rp?.close();
});

function authorizeUrl(): { url: string; state: string } {
  const state = `st-${Math.random().toString(36).slice(2)}`;
  const q = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email', state, nonce: 'n' });
  return { url: `${E2E_URL}/oauth2/authorize?${q}`, state };
}

/** From the app's authorize request to the code page for `name`; returns the page's main text. */
async function askForCode(page: Page, name: string): Promise<string> {
  await page.goto(authorizeUrl().url);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/forgotPassword\?tx=/);
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  const field = page.getByLabel('Username or email address', { exact: true });
  await expect(field).toHaveAttribute('autocomplete', 'username');
  await field.fill(name);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page).toHaveURL(/\/confirmforgotPassword\?tx=[^&]+$/);
  await expect(page.getByText(`If an account exists for ${name}, we have sent a code`)).toBeVisible();
  return page.locator('main').innerText();
}

async function expectErrorSummary(page: Page, text: string): Promise<void> {
  const alert = page.locator('#error-summary');
  await expect(alert).toContainText(text);
  await expect(alert).toBeFocused();
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'nojs';
  test.describe(`password reset (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, () => {
    test.use({ javaScriptEnabled });

    test('existing account: code from the outbox, new password, notice, sign-in lands on the app', async ({ page }) => {
      const name = `reset-${mode}`;
      const email = `${name}@example.com`;
      await createUser(poolId, name);
      await askForCode(page, name);
      const code = await outboxCode(email);

      await expect(page.getByLabel('Code', { exact: true })).toHaveAttribute('autocomplete', 'one-time-code');
      await expect(page.getByLabel('New password', { exact: true })).toHaveAttribute('autocomplete', 'new-password');
      const wrong = code === '000000' ? '111111' : '000000';
      await page.getByLabel('Code', { exact: true }).fill(wrong);
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Confirm the new password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Reset password' }).click();
      await expectErrorSummary(page, 'Code: That code is not correct.');
      // Neither the code nor the passwords come back.
      await expect(page.getByLabel('Code', { exact: true })).toHaveValue('');
      await expect(page.getByLabel('New password', { exact: true })).toHaveValue('');

      await page.getByLabel('Code', { exact: true }).fill(code);
      await page.getByLabel('New password', { exact: true }).fill('weak');
      await page.getByLabel('Confirm the new password', { exact: true }).fill('weak');
      await page.getByRole('button', { name: 'Reset password' }).click();
      await expectErrorSummary(page, 'New password: The password does not meet the requirements.');
      for (const rule of ['The password is too short.', 'The password needs an upper-case letter.', 'The password needs a number.', 'The password needs a symbol.']) {
        await expect(page.locator('#password-error')).toContainText(rule);
      }

      await page.getByLabel('Code', { exact: true }).fill(code);
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Confirm the new password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Reset password' }).click();
      await expect(page).toHaveURL(/\/login\?tx=/);
      await expect(page.getByText('Your password has been changed. Sign in with your new password.')).toBeVisible();
      await expect(page.locator('input[autocomplete="username"]')).toHaveValue(name);

      const landed = rp.next();
      await signInOnForm(page, name, NEW_PASSWORD);
      const cb = await landed;
      expect(`${cb.origin}${cb.pathname}`).toBe(CALLBACK);
      const res = await fetch(`${E2E_URL}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: cb.searchParams.get('code')!, redirect_uri: CALLBACK }),
      });
      expect(res.status).toBe(200);
    });

    test('an unknown name gets the identical page', async ({ browser }) => {
      const known = `twin-${mode}`;
      await createUser(poolId, known);
      const unknown = `nobody-${mode}-${Math.random().toString(36).slice(2, 8)}`;
      const texts: string[] = [];
      for (const name of [known, unknown]) {
        const context = await browser.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        texts.push((await askForCode(page, name)).split(name).join('<name>'));
        await context.close();
      }
      expect(texts[1]).toBe(texts[0]);
      expect(await outboxCount(`${known}@example.com`)).toBe(1);
    });

    test('"send a new code" waits for the cooldown', async ({ page }) => {
      const name = `resend-${mode}`;
      await createUser(poolId, name);
      await askForCode(page, name);
      await page.getByRole('button', { name: 'Send a new code' }).click();
      await expectErrorSummary(page, 'Wait a moment before asking for another code.');
      await page.waitForTimeout(2_100);
      await page.getByRole('button', { name: 'Send a new code' }).click();
      await expect(page.getByText(`If an account exists for ${name}, we have sent it a new code.`)).toBeVisible();
      expect(await outboxCount(`${name}@example.com`)).toBe(2);
      // The newest code resets the password.
      await page.getByLabel('Code', { exact: true }).fill(await outboxCode(`${name}@example.com`));
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Confirm the new password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Reset password' }).click();
      await expect(page).toHaveURL(/\/login\?tx=/);
    });
  });
}
