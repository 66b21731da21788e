import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import {
  E2E_PASSWORD,
  E2E_URL,
  adminClient,
  adminCredentials,
  createOAuthClient,
  createPool,
  startRelyingParty,
  type RelyingParty,
  pickLanguage,
} from './fixtures';
import { executeInStore } from './store';

/**
 * Every step of the hosted sign-in in a real browser, JavaScript on and off: the password form (with
 * login_hint, a wrong password announced in a focused role="alert" summary, then a code at the app's
 * callback), a new password with a required attribute, TOTP setup reading the key from the page and a
 * TOTP sign-in, SMS and email codes read from /dev/outbox, SELECT_MFA_TYPE, wrong codes followed by
 * right ones, and a transaction replayed from another browser.
 *
 * The transaction's five-minute expiry can't be reached here (the server's clock can't be moved); it is
 * covered in-process by test/integration/hosted-signin.test.ts.
 */
let rp: RelyingParty;
let CALLBACK: string;

const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/portico-sms', ExternalId: 'portico' };
const SES = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com', From: 'no-reply@example.com' };

interface App {
  poolId: string;
  clientId: string;
  clientSecret?: string;
}
const apps = {} as Record<'plain' | 'newPassword' | 'totp' | 'mfa', App>;

async function mfaApp(name: string, mode: 'ON' | 'OPTIONAL', factors: { sms?: boolean; totp?: boolean; email?: boolean }): Promise<App> {
  const poolId = await createPool(name, { MfaConfiguration: mode, SmsConfiguration: SMS, EmailConfiguration: SES });
  await adminClient().send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: mode,
      ...(factors.sms ? { SmsMfaConfiguration: { SmsConfiguration: SMS } } : {}),
      SoftwareTokenMfaConfiguration: { Enabled: factors.totp ?? false },
      ...(factors.email ? { EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' } } : {}),
    }),
  );
  return { poolId, ...(await createOAuthClient(poolId, { name: `${name} app`, secret: true, callbackUrls: [CALLBACK] })) };
}

test.beforeAll(async () => {
  rp = await startRelyingParty();
  CALLBACK = `${rp.origin}/cb`;
  const plainPool = await createPool('Journeys');
  apps.plain = { poolId: plainPool, ...(await createOAuthClient(plainPool, { name: 'Journey app', secret: true, callbackUrls: [CALLBACK] })) };
  const npPool = await createPool('New password', {
    Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true, RequireSymbols: false, RequireUppercase: true, RequireLowercase: true } },
  });
  apps.newPassword = { poolId: npPool, ...(await createOAuthClient(npPool, { name: 'New password app', secret: true, callbackUrls: [CALLBACK] })) };
  apps.totp = await mfaApp('Authenticator', 'ON', { totp: true });
  apps.mfa = await mfaApp('Codes', 'OPTIONAL', { sms: true, totp: true, email: true });
});

test.afterAll(async () => {
  await rp?.close();
});

async function createUser(app: App, username: string, o: { attributes?: Record<string, string>; temporary?: string } = {}): Promise<void> {
  await adminClient().send(
    new AdminCreateUserCommand({
      UserPoolId: app.poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: o.temporary,
      UserAttributes: Object.entries(o.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  if (!o.temporary) {
    await adminClient().send(new AdminSetUserPasswordCommand({ UserPoolId: app.poolId, Username: username, Password: E2E_PASSWORD, Permanent: true }));
  }
}

function authorizeUrl(app: App, extra: Record<string, string> = {}): { url: string; state: string } {
  const state = `st-${Math.random().toString(36).slice(2)}`;
  const q = new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email', state, nonce: 'n', ...extra });
  return { url: `${E2E_URL}/oauth2/authorize?${q}`, state };
}

/** Submits the current form and waits for the app's callback; checks state and iss; redeems the code. */
async function submitToCallback(page: Page, app: App, state: string, submit: () => Promise<void>): Promise<Record<string, unknown>> {
  const landed = rp.next();
  await submit();
  const cb = await landed;
  expect(`${cb.origin}${cb.pathname}`).toBe(CALLBACK);
  expect(cb.searchParams.get('state')).toBe(state);
  expect(cb.searchParams.get('iss')).toBe(`${E2E_URL}/${app.poolId}`);
  const code = cb.searchParams.get('code');
  expect(code).toBeTruthy();
  const res = await fetch(`${E2E_URL}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, redirect_uri: CALLBACK }),
  });
  expect(res.status).toBe(200);
  const tokens = (await res.json()) as { id_token: string };
  return JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The error summary: announced, and focused when the page opens (autofocus; no script needed). */
async function expectErrorSummary(page: Page, text: string | RegExp): Promise<void> {
  // Next adds an empty route announcer with role="alert" when JavaScript runs; the summary is ours.
  const alert = page.locator('#error-summary');
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(alert).toContainText(text);
  await expect(alert).toBeFocused();
}

async function expectNoStore(page: Page): Promise<void> {
  const res = await page.reload();
  expect(res?.headers()['cache-control']).toBe('no-store');
}

async function latestCodeTo(to: string): Promise<string> {
  const { keyId, secret } = adminCredentials();
  const res = await fetch(`${E2E_URL}/dev/outbox`, {
    headers: { accept: 'application/json', authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` },
  });
  expect(res.status).toBe(200);
  const messages = (await res.json()) as Array<{ to: string; text: string }>;
  const message = messages.find((m) => m.to === to);
  expect(message, `a message to ${to}`).toBeDefined();
  return /\b(\d{6})\b/.exec(message!.text)![1]!;
}

const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');

async function enterCode(page: Page, code: string): Promise<void> {
  const field = page.locator('input[autocomplete="one-time-code"]');
  await expect(field).toHaveAttribute('inputmode', 'numeric');
  await field.fill(code);
  await field.press('Enter');
}

async function signIn(page: Page, username: string, password = E2E_PASSWORD): Promise<void> {
  await page.getByLabel('Username').fill(username);
  const pw = page.getByLabel('Password');
  await pw.fill(password);
  await pw.press('Enter');
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'nojs';
  test.describe(`hosted sign-in journeys, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('password sign-in: login_hint prefilled, a wrong password announced, then a code at the callback', async ({ page }) => {
      const problems: string[] = [];
      page.on('console', (m) => {
        // (The stand-in app's missing favicon is the only resource allowed to fail.)
        if (/Content Security Policy|Refused to|hydrat/i.test(m.text()) || (m.type() === 'error' && !/Failed to load resource/.test(m.text()))) {
          problems.push(m.text());
        }
      });
      const user = `pat-${mode}`;
      await createUser(apps.plain, user, { attributes: { email: `${user}@example.com`, email_verified: 'true' } });
      const { url, state } = authorizeUrl(apps.plain, { login_hint: user });
      await page.goto(url);
      await expect(page).toHaveURL(/\/login\?tx=[\w-]+$/);
      await expect(page).toHaveTitle(/Sign in/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
      await expect(page.getByText('to continue to Journey app')).toBeVisible();
      const username = page.getByLabel('Username');
      await expect(username).toHaveValue(user);
      await expect(username).toHaveAttribute('autocomplete', 'username');
      await expect(page.getByLabel('Password')).toHaveAttribute('autocomplete', 'current-password');
      await expect(page.getByLabel('Password')).toBeFocused();
      await expectNoStore(page);

      await signIn(page, user, 'Wrong-Passw0rd!');
      await expect(page).toHaveURL(/\/login\?tx=[\w-]+&error=wrong_credentials$/);
      await expectErrorSummary(page, 'Incorrect username or password.');
      await expect(page.getByLabel('Username')).toHaveValue(user);
      await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
      // Nothing secret in the page: no Session, no token, no password.
      expect(await page.content()).not.toContain('Wrong-Passw0rd!');

      // With JavaScript a double click submits once (without it, the browser keeps the last answer).
      const id = await submitToCallback(page, apps.plain, state, async () => {
        await page.getByLabel('Password').fill(E2E_PASSWORD);
        if (javaScriptEnabled) await page.getByRole('button', { name: 'Sign in' }).dblclick();
        else await page.getByRole('button', { name: 'Sign in' }).click();
      });
      expect(id['cognito:username']).toBe(user);
      expect(id['email']).toBe(`${user}@example.com`);
      // No CSP violation, no hydration error on the way.
      expect(problems).toEqual([]);
    });

    test('new password with a required attribute and the policy shown', async ({ page }) => {
      const user = `nina-${mode}`;
      await createUser(apps.newPassword, user, { temporary: 'Temp-Passw0rd!', attributes: { name: 'placeholder' } });
      // AdminCreateUser insists on required attributes; a user imported without one is what the page's
      // extra inputs are for, so the attribute is removed in the e2e server's store.
      await executeInStore("UPDATE users SET attributes = '{}' WHERE pool_id = ? AND username = ?", [apps.newPassword.poolId, user]);
      const { url, state } = authorizeUrl(apps.newPassword);
      await page.goto(url);
      await signIn(page, user, 'Temp-Passw0rd!');
      await expect(page).toHaveURL(/\/new-password\?tx=/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
      await expect(page.getByText('be at least 10 characters long')).toBeVisible();
      await expect(page.getByText('contain an upper-case letter')).toBeVisible();
      await expect(page.getByText('contain a symbol')).toHaveCount(0);
      const pw = page.getByLabel('New password', { exact: true });
      await expect(pw).toHaveAttribute('autocomplete', 'new-password');
      await expect(pw).toHaveAttribute('aria-describedby', 'password-rules');
      const name = page.getByLabel('Full name');
      await expect(name).toHaveAttribute('autocomplete', 'name');

      await pw.fill('short1A');
      await page.getByLabel('Confirm the new password').fill('short1A');
      await name.fill('Nina Simone');
      await page.getByRole('button', { name: 'Set password and continue' }).click();
      await expect(page).toHaveURL(/error=password_too_short/);
      await expectErrorSummary(page, 'The password is too short.');

      await page.getByLabel('New password', { exact: true }).fill('New-Passw0rd-1');
      await page.getByLabel('Confirm the new password').fill('New-Passw0rd-1');
      await page.getByLabel('Full name').fill('Nina Simone');
      const id = await submitToCallback(page, apps.newPassword, state, () => page.getByRole('button', { name: 'Set password and continue' }).click());
      expect(id['cognito:username']).toBe(user);
      expect(id['name']).toBeUndefined();
    });

    test('MFA setup reads the key from the page; the next sign-in asks for a TOTP code (wrong one first)', async ({ page }) => {
      const user = `otto-${mode}`;
      await createUser(apps.totp, user);
      const first = authorizeUrl(apps.totp);
      await page.goto(first.url);
      await signIn(page, user);
      await expect(page).toHaveURL(/\/mfa\/setup\?tx=/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up two-step verification');
      const qr = page.getByRole('img', { name: 'QR code to add this account to an authenticator app' });
      await expect(qr).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
      const secret = (await page.locator('#totp-secret').textContent())!.trim();
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
      const code = totp.generate();
      await enterCode(page, wrongOf(code));
      await expect(page).toHaveURL(/\/mfa\/setup\?tx=[\w-]+&error=wrong_code$/);
      await expectErrorSummary(page, 'That code is not correct.');
      expect((await page.locator('#totp-secret').textContent())!.trim()).toBe(secret);
      await submitToCallback(page, apps.totp, first.state, () => enterCode(page, code));

      // Signing in again: the authenticator's code (the next time step: the last one is spent).
      await page.context().clearCookies({ name: 'portico_session' });
      const second = authorizeUrl(apps.totp);
      await page.goto(second.url);
      await signIn(page, user);
      await expect(page).toHaveURL(/\/mfa\?tx=/);
      await expect(page.getByText(/Enter the 6-digit code from your authenticator app/)).toBeVisible();
      const next = totp.generate({ timestamp: Date.now() + 30_000 });
      await enterCode(page, wrongOf(next));
      await expectErrorSummary(page, 'That code is not correct.');
      const id = await submitToCallback(page, apps.totp, second.state, () => enterCode(page, next));
      expect(id['cognito:username']).toBe(user);
    });

    test('SMS code from the outbox, after a wrong one', async ({ page }) => {
      const user = `sam-${mode}`;
      const phone = javaScriptEnabled ? '+15555550101' : '+15555550102';
      await createUser(apps.mfa, user, { attributes: { phone_number: phone } });
      await adminClient().send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: apps.mfa.poolId, Username: user, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const { url, state } = authorizeUrl(apps.mfa);
      await page.goto(url);
      await signIn(page, user);
      await expect(page).toHaveURL(/\/mfa\?tx=/);
      await expect(page.getByText(`We sent a code by text message to +*******${phone.slice(-4)}.`)).toBeVisible();
      await expect(page.getByLabel('Verification code')).toHaveAttribute('autocomplete', 'one-time-code');
      const code = await latestCodeTo(phone);
      await enterCode(page, wrongOf(code));
      await expectErrorSummary(page, 'That code is not correct.');
      await expect(page.getByLabel('Verification code')).toHaveAttribute('aria-invalid', 'true');
      await expectNoStore(page);
      const id = await submitToCallback(page, apps.mfa, state, () => enterCode(page, code));
      expect(id['cognito:username']).toBe(user);
    });

    test('email code from the outbox', async ({ page }) => {
      const user = `emma-${mode}`;
      const email = `${user}@example.com`;
      await createUser(apps.mfa, user, { attributes: { email, email_verified: 'true' } });
      await adminClient().send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: apps.mfa.poolId, Username: user, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const { url, state } = authorizeUrl(apps.mfa);
      await page.goto(url);
      await signIn(page, user);
      await expect(page).toHaveURL(/\/mfa\?tx=/);
      await expect(page.getByText(/We sent a code by email to e\*\*\*@e\*\*\*\./)).toBeVisible();
      await submitToCallback(page, apps.mfa, state, async () => enterCode(page, await latestCodeTo(email)));
    });

    test('select MFA type, then the chosen factor', async ({ page }) => {
      const user = `cleo-${mode}`;
      const email = `${user}@example.com`;
      const phone = javaScriptEnabled ? '+15555550103' : '+15555550104';
      await createUser(apps.mfa, user, { attributes: { email, email_verified: 'true', phone_number: phone } });
      await adminClient().send(
        new AdminSetUserMFAPreferenceCommand({ UserPoolId: apps.mfa.poolId, Username: user, SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } }),
      );
      const { url, state } = authorizeUrl(apps.mfa);
      await page.goto(url);
      await signIn(page, user);
      await expect(page).toHaveURL(/\/mfa\/select\?tx=/);
      const group = page.getByRole('group', { name: 'Verification method' });
      await expect(group.getByRole('radio')).toHaveCount(2);
      await group.getByLabel('Email').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page).toHaveURL(/\/mfa\?tx=/);
      await expect(page.getByText(/We sent a code by email/)).toBeVisible();
      await submitToCallback(page, apps.mfa, state, async () => enterCode(page, await latestCodeTo(email)));
    });

    test("a transaction id opened in another browser lands on the expired page; a forged form gets 403", async ({ page, browser }) => {
      const { url } = authorizeUrl(apps.plain);
      await page.goto(url);
      await expect(page).toHaveURL(/\/login\?tx=/);
      const loginUrl = page.url();

      const other = await (browser as Browser).newContext({ javaScriptEnabled });
      try {
        const stranger = await other.newPage();
        await stranger.goto(loginUrl);
        await expect(stranger).toHaveURL(/\/error\?error=expired$/);
        await expect(stranger.getByRole('heading', { level: 1 })).toHaveText('Your sign-in has expired');
        await expect(stranger.locator('#error-summary[role="alert"]')).toContainText('started in another browser');

        // The stranger posts the form with a made-up token (same-origin, so the proxy lets it through).
        const res = await stranger.request.post(loginUrl, {
          form: { csrf: 'forged', username: 'pat-js', password: E2E_PASSWORD },
          headers: { origin: E2E_URL },
          maxRedirects: 0,
        });
        expect(res.status()).toBe(303);
        expect(res.headers()['location']).toBe('/error?error=expired');
      } finally {
        await other.close();
      }
      // In the right browser, a wrong token is a translated 403, never a sign-in.
      const forged = await page.request.post(loginUrl, { form: { csrf: 'forged', username: 'pat-js', password: E2E_PASSWORD }, headers: { origin: E2E_URL }, maxRedirects: 0 });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain('Request refused');
    });

    test('Arabic by ui_locales: right to left, translated, and kept on the next page', async ({ page }) => {
      const user = `layla-${mode}`;
      await createUser(apps.plain, user);
      const { url } = authorizeUrl(apps.plain, { ui_locales: 'ar' });
      await page.goto(url);
      await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
      await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('تسجيل الدخول');
      await page.getByLabel('اسم المستخدم').fill(user);
      await page.getByLabel('كلمة المرور').fill('Wrong-Passw0rd!');
      await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
      await expect(page).toHaveURL(/ui_locales=ar/);
      await expectErrorSummary(page, 'اسم المستخدم أو كلمة المرور غير صحيحة.');
      await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
      // The language picker keeps the transaction.
      await pickLanguage(page, 'es');
      await expect(page).toHaveURL(/\/login\?tx=[\w-]+&lang=es$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Iniciar sesión');
    });
  });
}
