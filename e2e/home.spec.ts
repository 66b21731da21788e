import { expect, test, type Page, type Response } from '@playwright/test';
import { pickLanguage } from './fixtures';

/**
 * The home page, with JavaScript on and off: translated in every shipped locale (Arabic right to left),
 * with Portico's security headers, and — with JavaScript on — no Content-Security-Policy violations.
 */
const texts = {
  en: { h2: 'Try it', link: 'Open the demo', lang: 'en', dir: 'ltr' },
  es: { h2: 'Pruébelo', link: 'Abrir la demostración', lang: 'es', dir: 'ltr' },
  ar: { h2: 'جرّبه', link: 'افتح العرض التجريبي', lang: 'ar', dir: 'rtl' },
} as const;

async function expectLocale(page: Page, locale: keyof typeof texts) {
  const t = texts[locale];
  await expect(page.locator('html')).toHaveAttribute('lang', t.lang);
  await expect(page.locator('html')).toHaveAttribute('dir', t.dir);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Portico');
  await expect(page.getByRole('heading', { level: 2, name: t.h2 })).toBeVisible();
  await expect(page.getByRole('link', { name: t.link })).toHaveAttribute('href', '/demo');
}

function expectSecurityHeaders(response: Response | null) {
  expect(response?.status()).toBe(200);
  const h = response!.headers();
  expect(h['content-security-policy']).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'/);
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['referrer-policy']).toBe('no-referrer');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['x-powered-by']).toBeUndefined();
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`home page, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('English by default, with security headers', async ({ page }) => {
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      const response = await page.goto('/');
      expectSecurityHeaders(response);
      await expectLocale(page, 'en');
      if (javaScriptEnabled) {
        // Next's scripts ran under the nonce: the router's global exists and nothing was blocked.
        await expect.poll(() => page.evaluate(() => Array.isArray((window as unknown as { __next_f?: unknown[] }).__next_f))).toBe(true);
      }
      expect(violations).toEqual([]);
    });

    test.describe('with Accept-Language es', () => {
      test.use({ locale: 'es-ES' });
      test('Spanish', async ({ page }) => {
        await page.goto('/');
        await expectLocale(page, 'es');
      });
    });

    test.describe('with Accept-Language ar', () => {
      test.use({ locale: 'ar-EG' });
      test('Arabic, right to left', async ({ page }) => {
        await page.goto('/');
        await expectLocale(page, 'ar');
      });
    });

    test('the language picker sets lang and it sticks', async ({ page }) => {
      await page.goto('/');
      await pickLanguage(page, 'ar');
      await expect(page).toHaveURL(/\?lang=ar$/);
      await expectLocale(page, 'ar');
      await page.goto('/');
      await expectLocale(page, 'ar');
      await page.goto('/?ui_locales=es');
      await expectLocale(page, 'es');
    });
  });
}
