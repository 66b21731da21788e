import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { E2E_PASSWORD, E2E_URL, adminClient, adminCredentials, createOAuthClient, createPool, startRelyingParty, type RelyingParty } from './fixtures';

/**
 * axe-core on every page Portico draws — home, the demo, each step of the sign-in (fresh and failed),
 * sign-up (fresh, with field errors, confirmation), password reset, the account page, /error, the
 * sign-out confirmation and signed-out pages, the 403/404 refusals and the admin preview — in the light
 * and dark colour schemes, in English, Arabic (right to left) and Japanese (CJK), against WCAG 2.2 AA,
 * plus unique ids (which axe no longer checks). The challenge
 * pages are reached for real: pools and users made through the AWS SDK, signed in through the form.
 * One browser context per scheme × locale walks through every page, so a failure lists every page's
 * violations at once.
 */
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SCHEMES = ['light', 'dark'] as const;
const LOCALES = ['en', 'ar', 'ja'] as const;
type Locale = (typeof LOCALES)[number];

const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/portico-sms', ExternalId: 'portico' };
const SES = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com', From: 'no-reply@example.com' };

interface App {
  poolId: string;
  clientId: string;
}
let rp: RelyingParty;
let CALLBACK: string;
/** Sign-in with every step but the authenticator set-up, sign-up, password reset and the account page. */
let main: App;
/** MFA required with authenticator apps only: a user without one is asked to set it up. */
let setup: App;

const USERS = { plain: 'ally', sms: 'sami', select: 'selma', temporary: 'tomas', setup: 'sette' } as const;
const TEMPORARY_PASSWORD = 'Temp-Passw0rd!';

async function addUser(app: App, username: string, attributes: Record<string, string>, o: { temporary?: boolean } = {}): Promise<void> {
  await adminClient().send(
    new AdminCreateUserCommand({
      UserPoolId: app.poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: o.temporary ? TEMPORARY_PASSWORD : undefined,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  if (!o.temporary) {
    await adminClient().send(new AdminSetUserPasswordCommand({ UserPoolId: app.poolId, Username: username, Password: E2E_PASSWORD, Permanent: true }));
  }
}

test.beforeAll(async () => {
  rp = await startRelyingParty();
  CALLBACK = `${rp.origin}/cb`;
  const mainPool = await createPool('Accessibility', {
    AutoVerifiedAttributes: ['email'],
    AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }] },
    MfaConfiguration: 'OPTIONAL',
    SmsConfiguration: SMS,
    EmailConfiguration: SES,
  });
  await adminClient().send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: mainPool,
      MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: { SmsConfiguration: SMS },
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' },
    }),
  );
  main = {
    poolId: mainPool,
    ...(await createOAuthClient(mainPool, { name: 'Accessible app', secret: false, callbackUrls: [CALLBACK], logoutUrls: [`${rp.origin}/bye`] })),
  };
  const setupPool = await createPool('Accessibility, MFA required', { MfaConfiguration: 'ON' });
  await adminClient().send(new SetUserPoolMfaConfigCommand({ UserPoolId: setupPool, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  setup = { poolId: setupPool, ...(await createOAuthClient(setupPool, { name: 'Accessible app', secret: false, callbackUrls: [CALLBACK] })) };

  const verified = (name: string) => ({ email: `${name}@example.com`, email_verified: 'true' });
  await addUser(main, USERS.plain, verified(USERS.plain));
  await addUser(main, USERS.sms, { ...verified(USERS.sms), phone_number: '+15555550141' });
  await adminClient().send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: main.poolId, Username: USERS.sms, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
  await addUser(main, USERS.select, { ...verified(USERS.select), phone_number: '+15555550142' });
  await adminClient().send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: main.poolId, Username: USERS.select, SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } }),
  );
  await addUser(main, USERS.temporary, verified(USERS.temporary), { temporary: true });
  await addUser(setup, USERS.setup, verified(USERS.setup));
});

test.afterAll(async () => {
  await rp?.close();
});

function authorizeQuery(app: App, locale: Locale): URLSearchParams {
  // PKCE: the client has no secret. The pages never reach the token endpoint, so any challenge will do.
  return new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state: 'a11y',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    lang: locale,
  });
}

function formatViolations(results: Awaited<ReturnType<AxeBuilder['analyze']>>): string[] {
  return results.violations.map(
    (v) => `${v.id} (${v.impact ?? '?'}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`).join('\n')}`,
  );
}

/** Scans the page as it stands; a soft assertion, so one walk reports every page. */
async function scan(page: Page, locale: Locale, name: string): Promise<void> {
  await test.step(name, async () => {
    await page.waitForLoadState('load');
    await expect.soft(page.locator('html'), `${name}: the document's language`).toHaveAttribute('lang', locale);
    const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
    const violations = formatViolations(results);
    // axe no longer checks ids (WCAG 2.2 dropped 4.1.1), but a label or a summary link needs its target unique.
    const duplicates = await page.evaluate(() => {
      const seen = new Map<string, number>();
      for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    });
    if (duplicates.length > 0) violations.push(`duplicate ids: ${duplicates.join(', ')}`);
    expect.soft(violations, `${name} (${page.url()}) has accessibility violations:\n${violations.join('\n')}`).toEqual([]);
  });
}

async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#password').press('Enter');
}

/** A sign-in that stops at the step after the password, the page `path` on. */
async function toStep(page: Page, app: App, locale: Locale, username: string, password: string, path: string): Promise<void> {
  await page.goto(`${E2E_URL}/oauth2/authorize?${authorizeQuery(app, locale)}`);
  await expect(page).toHaveURL(/\/login\?tx=/);
  await submitSignIn(page, username, password);
  await page.waitForURL((u) => u.pathname === path);
}

async function withPage(browser: Browser, colorScheme: 'light' | 'dark', run: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ colorScheme });
  // A page that never arrives fails its own step rather than using up the whole walk's time.
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(20_000);
  try {
    await run(await context.newPage());
  } finally {
    await context.close();
  }
}

for (const colorScheme of SCHEMES) {
  for (const locale of LOCALES) {
    test(`every page passes axe (WCAG 2.2 AA): ${colorScheme} scheme, ${locale}`, async ({ browser }) => {
      test.setTimeout(180_000);
      await withPage(browser, colorScheme, async (page) => {
        const tag = `${colorScheme}-${locale}`;
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');

        await page.goto(`${E2E_URL}/?lang=${locale}`);
        await scan(page, locale, 'home');
        await page.goto(`${E2E_URL}/demo?lang=${locale}`);
        await scan(page, locale, 'demo');

        // The sign-in page, then a wrong password (the error summary).
        await page.goto(`${E2E_URL}/oauth2/authorize?${authorizeQuery(main, locale)}`);
        await expect(page).toHaveURL(/\/login\?tx=/);
        const tx = new URL(page.url()).searchParams.get('tx')!;
        await scan(page, locale, '/login');
        await submitSignIn(page, USERS.plain, 'Wrong-Passw0rd!');
        await page.waitForURL(/error=/);
        await scan(page, locale, '/login with an error');

        // Password reset from the same transaction.
        await page.goto(`${E2E_URL}/forgotPassword?tx=${tx}&lang=${locale}`);
        await scan(page, locale, '/forgotPassword');
        await page.locator('#username').fill(USERS.plain);
        await page.locator('#username').press('Enter');
        await page.waitForURL((u) => u.pathname === '/confirmforgotPassword');
        await scan(page, locale, '/confirmforgotPassword');

        // Sign-up: the form, field errors, the confirmation page.
        await page.goto(`${E2E_URL}/signup?${authorizeQuery(main, locale)}`);
        await expect(page).toHaveURL(/\/signup\?tx=/);
        await scan(page, locale, '/signup');
        const newcomer = `new-${tag}`;
        await page.locator('#username').fill(newcomer);
        await page.locator('#attr-email').fill(`${newcomer}@example.com`);
        await page.locator('#password').fill('short');
        await page.locator('#confirm').fill('different');
        await page.locator('#confirm').press('Enter');
        await page.waitForURL(/\/signup\?tx=/);
        await expect(page.locator('#error-summary')).toBeVisible();
        await scan(page, locale, '/signup with field errors');
        await page.locator('#password').fill(E2E_PASSWORD);
        await page.locator('#confirm').fill(E2E_PASSWORD);
        await page.locator('#confirm').press('Enter');
        await page.waitForURL((u) => u.pathname === '/confirmUser');
        await scan(page, locale, '/confirmUser');
        // The emailed link with a code that does not match: this browser's pending sign-up, with the error.
        await page.goto(`${E2E_URL}/confirmUser?${new URLSearchParams({ client_id: main.clientId, user_name: newcomer, confirmation_code: '000000', lang: locale })}`);
        await page.waitForURL((u) => u.pathname === '/confirmUser' && u.searchParams.has('error'));
        await scan(page, locale, '/confirmUser with an error');

        // The steps after the password.
        await toStep(page, main, locale, USERS.sms, E2E_PASSWORD, '/mfa');
        await scan(page, locale, '/mfa');
        await toStep(page, main, locale, USERS.select, E2E_PASSWORD, '/mfa/select');
        await scan(page, locale, '/mfa/select');
        await toStep(page, main, locale, USERS.temporary, TEMPORARY_PASSWORD, '/new-password');
        await scan(page, locale, '/new-password');
        await toStep(page, setup, locale, USERS.setup, E2E_PASSWORD, '/mfa/setup');
        await scan(page, locale, '/mfa/setup');

        await page.goto(`${E2E_URL}/error?error=expired&lang=${locale}`);
        await scan(page, locale, '/error');

        // The account page (its own sign-in first), and one of its forms failing.
        const account = new URLSearchParams({ client_id: main.clientId, redirect_uri: `${rp.origin}/bye`, lang: locale });
        await page.goto(`${E2E_URL}/account?${account}`);
        await expect(page).toHaveURL(/\/login\?tx=/);
        await submitSignIn(page, USERS.plain, E2E_PASSWORD);
        await page.waitForURL((u) => u.pathname === '/account');
        await scan(page, locale, '/account');
        await page.locator('#pw-current').fill('Wrong-Passw0rd!');
        await page.locator('#pw-new').fill('N3w-Account-Passw0rd!');
        await page.locator('#pw-confirm').fill('N3w-Account-Passw0rd!');
        await page.locator('#pw-confirm').press('Enter');
        await expect(page.locator('#error-summary')).toBeVisible();
        await scan(page, locale, '/account with an error');
        await page.goto(`${E2E_URL}/account/signed-out?${account}`);
        await scan(page, locale, '/account/signed-out');

        // Sign-out: the confirmation (an unregistered target), then signed out.
        await page.goto(`${E2E_URL}/logout?${new URLSearchParams({ client_id: main.clientId, logout_uri: 'https://elsewhere.example/bye', lang: locale })}`);
        await scan(page, locale, '/logout confirmation');
        await page.locator('main button[type="submit"]').click();
        await page.waitForURL((u) => u.pathname === '/logout/done');
        await scan(page, locale, '/logout/done');

        // Refusals: an unknown page, an internal route, a form posted from another site.
        await page.goto(`${E2E_URL}/no-such-page?lang=${locale}`);
        await scan(page, locale, '404 (unknown page)');
        await page.goto(`${E2E_URL}/api/hosted/login?lang=${locale}`);
        await scan(page, locale, '404 (internal route)');
        await page.goto(`${rp.origin}/elsewhere`);
        await page.evaluate((action) => {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = action;
          document.body.append(form);
          form.submit();
        }, `${E2E_URL}/login?lang=${locale}`);
        await page.waitForURL((u) => u.origin === E2E_URL);
        await expect(page.locator('body')).not.toBeEmpty();
        await scan(page, locale, '403 (cross-site form)');

        // The admin preview's index; and, once per scheme (in Arabic), every page it draws in the default
        // theme with the other scheme forced — the one combination the real pages above cannot reach.
        const { keyId, secret } = adminCredentials();
        await page.setExtraHTTPHeaders({ authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` });
        await page.goto(`${E2E_URL}/admin/preview?locale=${locale}&scheme=${colorScheme}`);
        await scan(page, locale, '/admin/preview');
        if (locale === 'ar') {
          const forced = colorScheme === 'dark' ? 'light' : 'dark';
          const previews = await page
            .locator('main a[href^="/admin/preview/"]')
            .evaluateAll((links, scheme) => [...new Set(links.map((a) => a.getAttribute('href')!))].filter((h) => new URLSearchParams(h.split('?')[1]).get('scheme') === scheme), forced);
          expect(previews.length).toBeGreaterThan(10);
          for (const href of previews) {
            await page.goto(`${E2E_URL}${href}`);
            await scan(page, locale, `${href.split('?')[0]!} (${forced} forced)`);
          }
        }
      });
    });
  }
}
