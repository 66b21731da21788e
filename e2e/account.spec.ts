import { expect, test, type Page } from '@playwright/test';
import { AdminCreateUserCommand, AdminSetUserMFAPreferenceCommand, AdminSetUserPasswordCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { E2E_PASSWORD, E2E_URL, adminClient, adminCredentials, createOAuthClient, createPool, signInOnForm, startRelyingParty, type RelyingParty } from './fixtures';

/**
 * The account page in a real browser, JavaScript on and off: the account sign-in through the ordinary
 * sign-in form, a wrong current password announced in the focused summary, a new password, an
 * authenticator app set up from the key on the page and removed again, the preferred method, a new
 * email that stays unconfirmed (the old one in use) until its code from /dev/outbox is entered, and
 * sign out everywhere.
 */
const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/portico-sms', ExternalId: 'portico' };
const NEW_PASSWORD = 'N3w-Account-Passw0rd!';
let rp: RelyingParty;
let poolId: string;
let clientId: string;
let back: string;

test.beforeAll(async () => {
  rp = await startRelyingParty();
  back = `${rp.origin}/home`;
  poolId = await createPool('Account', {
    AutoVerifiedAttributes: ['email'],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    MfaConfiguration: 'OPTIONAL',
    SmsConfiguration: SMS,
  });
  await adminClient().send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: { SmsConfiguration: SMS },
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  ({ clientId } = await createOAuthClient(poolId, { name: 'Account app', secret: true, callbackUrls: [`${rp.origin}/cb`], logoutUrls: [back] }));
});

test.afterAll(async () => {
  await rp?.close();
});

async function createUser(username: string): Promise<void> {
  await adminClient().send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'phone_number', Value: '+15555550123' },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    }),
  );
  await adminClient().send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: E2E_PASSWORD, Permanent: true }));
}

/** The 6-digit code in the newest message to `to` (admin /dev/outbox, JSON). */
async function codeSentTo(to: string): Promise<string> {
  const { keyId, secret } = adminCredentials();
  const res = await fetch(`${E2E_URL}/dev/outbox`, {
    headers: { accept: 'application/json', authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` },
  });
  const messages = (await res.json()) as Array<{ to: string; text: string }>;
  const code = /\b(\d{6})\b/.exec(messages.find((m) => m.to === to)?.text ?? '')?.[1];
  if (!code) throw new Error(`no code to ${to} in the outbox`);
  return code;
}

function totp(secret: string): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate();
}

async function expectDone(page: Page, text: RegExp): Promise<void> {
  await expect(page.locator('#account-done')).toHaveText(text);
  await expect(page.locator('#error-summary')).toHaveCount(0);
}

async function expectFieldError(page: Page, fieldId: string, text: RegExp): Promise<void> {
  const alert = page.locator('#error-summary');
  await expect(alert).toContainText(text);
  await expect(alert).toBeFocused();
  await expect(page.locator(`#${fieldId}`)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator(`#${fieldId}-error`)).toHaveText(text);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`account page, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('every action', async ({ page }) => {
      test.setTimeout(90_000);
      const username = `acct-${javaScriptEnabled ? 'js' : 'nojs'}`;
      await createUser(username);

      // No session: the account sign-in is the ordinary sign-in form, then back at the account page.
      await page.goto(`/account?${new URLSearchParams({ client_id: clientId, redirect_uri: back })}`);
      await expect(page).toHaveURL(/\/login\?tx=/);
      await signInOnForm(page, username, E2E_PASSWORD);
      await expect(page).toHaveURL(/\/account\?client_id=/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
      await expect(page.locator('#profile-username')).toHaveText(username);
      await expect(page.locator('#profile-email')).toContainText(`${username}@example.com (confirmed)`);
      await expect(page.getByRole('link', { name: 'Back to Account app' })).toHaveAttribute('href', back);

      // Change password: the wrong current one is refused next to its field, then it works.
      await page.locator('#pw-current').fill('Wr0ng-Password!');
      await page.locator('#pw-new').fill(NEW_PASSWORD);
      await page.locator('#pw-confirm').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Change password' }).click();
      await expectFieldError(page, 'pw-current', /That password is not correct/);
      await expect(page.locator('#pw-current')).toHaveValue('');
      await page.locator('#pw-current').fill(E2E_PASSWORD);
      await page.locator('#pw-new').fill(NEW_PASSWORD);
      await page.locator('#pw-confirm').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Change password' }).click();
      await expectDone(page, /password has been changed/);

      // Authenticator app: the key from the page, a code from it.
      await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
      const secret = (await page.locator('#totp-secret').textContent())!.trim();
      await expect(page.getByRole('img', { name: /QR code/i })).toBeVisible();
      await page.locator('#totp-code').fill(totp(secret));
      await page.getByRole('button', { name: 'Turn on' }).click();
      await expectDone(page, /authenticator app is set up/);
      await expect(page.locator('#totp-status')).toHaveText('An authenticator app is set up.');

      // A second factor (SMS, enabled by the administrator) makes the preferred method a choice.
      await adminClient().send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true } }));
      await page.reload();
      await expect(page.getByRole('radio', { name: 'Authenticator app' })).toBeChecked();
      await page.getByRole('radio', { name: 'Text message' }).check();
      await page.getByRole('button', { name: 'Save' }).click();
      await expectDone(page, /preferred verification method has been saved/);
      await expect(page.getByRole('radio', { name: 'Text message' })).toBeChecked();

      // Remove the authenticator (password asked again).
      await page.locator('#totp-current').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Remove', exact: true }).click();
      await expectDone(page, /authenticator app has been removed/);
      await expect(page.locator('#totp-status')).toHaveText('No authenticator app is set up.');

      // New email: unconfirmed beside the old one until its code is entered.
      const newEmail = `${username}.new@example.com`;
      await page.locator('#email-value').fill(newEmail);
      await page.locator('#email-current').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Change email address' }).click();
      await expectDone(page, /We sent you a code/);
      await expect(page.locator('#profile-email')).toContainText(`${username}@example.com (confirmed)`);
      await expect(page.locator('#email-pending')).toContainText(newEmail);
      await page.locator('#email-code').fill('000000' === (await codeSentTo(newEmail)) ? '111111' : '000000');
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await expectFieldError(page, 'email-code', /code is not correct/);
      await expect(page.locator('#profile-email')).toContainText(`${username}@example.com (confirmed)`);
      await page.locator('#email-code').fill(await codeSentTo(newEmail));
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await expectDone(page, /email address is confirmed/);
      await expect(page.locator('#profile-email')).toContainText(`${newEmail} (confirmed)`);

      // Sign out everywhere: the signed-out page, and the account page asks for a sign-in again.
      await page.locator('#signout-current').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await expect(page).toHaveURL(/\/account\/signed-out\?/);
      await expect(page.getByRole('status')).toContainText('signed out of every app');
      await expect(page.getByRole('link', { name: 'Back to Account app' })).toHaveAttribute('href', back);
      await page.goto(`/account?${new URLSearchParams({ client_id: clientId })}`);
      await expect(page).toHaveURL(/\/login\?tx=/);
    });
  });
}

test('an unknown client gets the translated error page', async ({ page }) => {
  const res = await page.goto('/account?client_id=nosuchclient1234');
  expect(res?.status()).toBeLessThan(500);
  await expect(page).toHaveURL(/\/error\?error=invalid_client/);
});
