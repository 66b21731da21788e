import { expect, test, type Page } from '@playwright/test';
import { E2E_PASSWORD, E2E_URL, createOAuthClient, createPool, createUser, startRelyingParty, type RelyingParty } from './fixtures';

/**
 * Keyboard-only journeys, JavaScript on and off: nothing is clicked or filled — only Tab, Shift+Tab,
 * Enter, Space, arrow keys and typed characters. A sign-in with the password; a wrong password that
 * puts focus on the error summary, from which Tab reaches the field; a sign-up with a field error whose
 * summary link takes focus to the field; the language picker; the skip link; and a focus indicator on
 * everything Tab reaches.
 */
let rp: RelyingParty;
let CALLBACK: string;
let clientId: string;
const USER = 'keyboard-user';

test.beforeAll(async () => {
  rp = await startRelyingParty();
  CALLBACK = `${rp.origin}/cb`;
  const poolId = await createPool('Keyboard', { AutoVerifiedAttributes: ['email'] });
  ({ clientId } = await createOAuthClient(poolId, { name: 'Keyboard app', secret: false, callbackUrls: [CALLBACK] }));
  await createUser(poolId, USER);
});

test.afterAll(async () => {
  await rp?.close();
});

function authorizeUrl(path = '/oauth2/authorize', extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state: 'kb',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    lang: 'en',
    ...extra,
  });
  return `${E2E_URL}${path}?${q}`;
}

/** A description of the focused element: `#id`, or the tag and its text. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 40)}`;
  });
}

async function tabUntil(page: Page, target: string, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)) === target) return;
    await page.keyboard.press(key);
  }
  expect(await focused(page), `${key} never reached ${target}`).toBe(target);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`keyboard only, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('sign in: a wrong password focuses the error summary, Tab reaches the field, then the code reaches the app', async ({ page }) => {
      await page.goto(authorizeUrl());
      await expect(page).toHaveURL(/\/login\?tx=/);
      // The username field has focus when the page opens.
      expect(await focused(page)).toBe('#username');
      await page.keyboard.type(USER);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('#password');
      await page.keyboard.type('Wrong-Passw0rd!');
      await page.keyboard.press('Enter');

      await expect(page).toHaveURL(/error=wrong_credentials/);
      const summary = page.locator('#error-summary');
      await expect(summary).toHaveAttribute('role', 'alert');
      await expect(summary).toBeFocused();
      await expect(summary).toContainText('Incorrect username or password.');
      // The summary is not a tab stop of its own; the next Tab lands on the first field of the form.
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('#username');
      await expect(page.locator('#username')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('#username')).toHaveValue(USER);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('#password');
      await page.keyboard.type(E2E_PASSWORD);
      // Tab to the button and press it with Space.
      await page.keyboard.press('Tab');
      await expect(page.locator('button[type="submit"]').filter({ hasText: 'Sign in' })).toBeFocused();
      const landed = rp.next();
      await page.keyboard.press('Space');
      const callback = await landed;
      expect(callback.pathname).toBe('/cb');
      expect(callback.searchParams.get('code')).toBeTruthy();
      expect(callback.searchParams.get('state')).toBe('kb');
    });

    test('sign-up: a field error focuses the summary, and its link takes focus to the field', async ({ page }) => {
      const name = `kb-new-${javaScriptEnabled ? 'js' : 'nojs'}`;
      await page.goto(authorizeUrl('/signup'));
      await expect(page).toHaveURL(/\/signup\?tx=/);
      expect(await focused(page)).toBe('#username');
      await page.keyboard.type(name);
      await tabUntil(page, '#attr-email');
      await page.keyboard.type(`${name}@example.com`);
      await tabUntil(page, '#password');
      await page.keyboard.type(E2E_PASSWORD);
      await tabUntil(page, '#confirm');
      await page.keyboard.type('Not-The-Same-Passw0rd!');
      await page.keyboard.press('Enter');

      const summary = page.locator('#error-summary');
      await expect(summary).toBeFocused();
      await expect(summary).toHaveAttribute('role', 'alert');
      const link = summary.getByRole('link');
      await expect(link).toHaveCount(1);
      await expect(link).toHaveAttribute('href', '#confirm');
      await page.keyboard.press('Tab');
      await expect(link).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.locator('#confirm')).toBeFocused();
      await expect(page.locator('#confirm')).toHaveAttribute('aria-invalid', 'true');
      // What was typed is kept, except the passwords.
      await expect(page.locator('#username')).toHaveValue(name);
    });

    test('the language picker works from the keyboard and keeps the transaction', async ({ page }) => {
      await page.goto(authorizeUrl());
      await expect(page).toHaveURL(/\/login\?tx=/);
      const tx = new URL(page.url()).searchParams.get('tx');
      await tabUntil(page, '#language-picker-select', 'Shift+Tab');
      // Arrowing through the languages must not leave the page on the first key press (WCAG 3.2.2).
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(new URL(page.url()).searchParams.get('lang')).not.toBe('es');
      await expect(page.locator('#language-picker-select')).toBeFocused();
      // Home and End are keyboard too; pick Spanish by typing its name's first letters.
      await page.keyboard.press('Home');
      await page.keyboard.type('Esp');
      await expect(page.locator('#language-picker-select')).toHaveValue('es');
      await page.keyboard.press('Tab');
      const change = page.locator('#language-picker button[type="submit"]');
      await expect(change).toBeFocused();
      await Promise.all([page.waitForURL(/lang=es/), page.keyboard.press('Enter')]);
      await expect(page.locator('html')).toHaveAttribute('lang', 'es');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Iniciar sesión');
      expect(new URL(page.url()).searchParams.get('tx')).toBe(tx);
    });

    test('the skip link is the first tab stop and moves past the header', async ({ page }) => {
      await page.goto(`${E2E_URL}/?lang=en`);
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Skip to content' });
      await expect(skip).toBeFocused();
      await expect(skip).toBeVisible();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      // The next stop is inside <main>, not the header's home link or language picker.
      expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);

      // On the sign-in page (focus starts in the form), Shift+Tab leads back to it through the header.
      await page.goto(authorizeUrl());
      await tabUntil(page, 'a:Skip to content', 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('#username');
    });

    test('everything Tab reaches on the sign-in page is visible and shows focus', async ({ page }) => {
      await page.goto(authorizeUrl());
      await expect(page).toHaveURL(/\/login\?tx=/);
      const seen: string[] = [];
      for (let i = 0; i < 20; i++) {
        const state = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return null;
          const box = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          const indicated = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
          return { id: el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 30)}`, visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden', indicated };
        });
        if (state) {
          if (seen.includes(state.id)) break;
          seen.push(state.id);
          expect.soft(state.visible, `${state.id} is visible when focused`).toBe(true);
          expect.soft(state.indicated, `${state.id} shows where focus is`).toBe(true);
        }
        await page.keyboard.press('Tab');
      }
      // The form's fields and button come in reading order.
      const order = ['#username', '#password', 'button:Sign in'].map((id) => seen.indexOf(id));
      expect(order.every((n, i) => n >= 0 && (i === 0 || n > order[i - 1]!)), seen.join(' → ')).toBe(true);
    });
  });
}
