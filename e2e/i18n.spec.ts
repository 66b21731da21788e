import { expect, test, type Page } from '@playwright/test';
import { E2E_PASSWORD, E2E_URL, createOAuthClient, createPool, createUser, signInOnForm, startRelyingParty, type RelyingParty } from './fixtures';

/**
 * Languages in a real browser, JavaScript on and off: the picker on a sign-in page changes the
 * language (over the app's ui_locales), keeps the transaction and remembers the choice, and the
 * sign-in then completes at the app; right-to-left and CJK locales carry the right lang and dir.
 */
let rp: RelyingParty;
let clientId: string;
const USER = 'polyglot';

test.beforeAll(async () => {
  rp = await startRelyingParty();
  const poolId = await createPool('i18n e2e');
  ({ clientId } = await createOAuthClient(poolId, { name: 'Polyglot app', secret: false, callbackUrls: [`${rp.origin}/cb`] }));
  await createUser(poolId, USER);
});
test.afterAll(async () => rp?.close());

function authorizeUrl(extra: Record<string, string>): string {
  const q = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: `${rp.origin}/cb`,
    scope: 'openid',
    state: 'st-i18n',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...extra,
  });
  return `${E2E_URL}/oauth2/authorize?${q}`;
}

async function expectDocument(page: Page, lang: string, dir: 'ltr' | 'rtl'): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.locator('html')).toHaveAttribute('dir', dir);
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('the picker changes the sign-in page’s language, keeps the transaction, and the sign-in completes', async ({ page, context }) => {
      await page.goto(authorizeUrl({ ui_locales: 'ar' }));
      await expect(page).toHaveURL(/\/login\?/);
      await expectDocument(page, 'ar', 'rtl');
      const before = new URL(page.url());
      const tx = before.searchParams.get('tx');
      expect(tx).toBeTruthy();

      const select = page.getByRole('combobox', { name: 'اللغة' });
      await expect(select).toHaveValue('ar');
      await expect(page.locator('option[value="ja"]')).toHaveAttribute('lang', 'ja');
      const button = page.getByRole('button', { name: 'تغيير اللغة' });
      if (js) {
        await expect(button).toBeHidden();
        await Promise.all([page.waitForURL(/lang=es/), select.selectOption('es')]);
      } else {
        await expect(button).toBeVisible();
        await select.selectOption('es');
        await Promise.all([page.waitForURL(/lang=es/), button.click()]);
      }

      await expectDocument(page, 'es', 'ltr');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Iniciar sesión');
      const after = new URL(page.url());
      expect(after.pathname).toBe('/login');
      expect(after.searchParams.get('tx')).toBe(tx);
      expect(after.searchParams.get('lang')).toBe('es');
      expect(after.searchParams.has('ui_locales')).toBe(false);
      expect((await context.cookies()).find((c) => c.name === 'lang')?.value).toBe('es');

      const landed = rp.next();
      await signInOnForm(page, USER, E2E_PASSWORD);
      const callback = await landed;
      expect(callback.pathname).toBe('/cb');
      expect(callback.searchParams.get('code')).toBeTruthy();
      expect(callback.searchParams.get('state')).toBe('st-i18n');
    });

    test('a right-to-left and a CJK locale render with their lang and dir', async ({ page }) => {
      await page.goto(authorizeUrl({ ui_locales: 'he' }));
      await expectDocument(page, 'he', 'rtl');
      await expect(page.locator('#language-picker-select')).toHaveValue('he');
      await page.goto(authorizeUrl({ ui_locales: 'ja' }));
      await expectDocument(page, 'ja', 'ltr');
      await expect(page.locator('#language-picker-select')).toHaveValue('ja');
      await page.goto(authorizeUrl({ ui_locales: 'zh-Hant-HK' }));
      await expectDocument(page, 'zh-TW', 'ltr');
    });

    test('the picker works on a page without parameters (home)', async ({ page }) => {
      await page.goto(`${E2E_URL}/?lang=en`);
      await expectDocument(page, 'en', 'ltr');
      const select = page.getByRole('combobox', { name: 'Language' });
      if (js) {
        await Promise.all([page.waitForURL(/lang=fa/), select.selectOption('fa')]);
      } else {
        await select.selectOption('fa');
        await Promise.all([page.waitForURL(/lang=fa/), page.getByRole('button', { name: 'Change language' }).click()]);
      }
      await expectDocument(page, 'fa', 'rtl');
      expect(new URL(page.url()).pathname).toBe('/');
    });
  });
}
