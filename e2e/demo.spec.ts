import { expect, test } from '@playwright/test';
import { demoFile, signInOnForm } from './fixtures';

/**
 * The next-auth demo relying party under /demo, JavaScript on and off: sign in through Portico with the
 * demo user of this server's demo.json, see the ID token's claims and the UserInfo answer, sign out of
 * both the demo app and Portico, and come back to /demo signed out.
 */
for (const javaScriptEnabled of [true, false]) {
  test.describe(`demo app, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('sign in, claims shown, sign out', async ({ page }) => {
      const demo = demoFile();
      await page.goto('/demo');
      await expect(page.getByRole('heading', { level: 1, name: 'Demo app' })).toBeVisible();
      await expect(page.getByText('You are not signed in to the demo app.')).toBeVisible();

      await page.getByRole('button', { name: 'Sign in with Portico' }).click();
      await expect(page).toHaveURL(/\/login\?tx=/);
      await signInOnForm(page, demo.username, demo.password);

      await expect(page).toHaveURL(/\/demo$/);
      await expect(page.getByText(`Signed in as ${demo.username}`)).toBeVisible();
      const idClaims = page.getByRole('table', { name: 'ID token claims' });
      await expect(idClaims.locator('[data-claim="iss"]')).toHaveText(demo.issuer);
      await expect(idClaims.locator('[data-claim="aud"]')).toHaveText(demo.clientId);
      await expect(idClaims.locator('[data-claim="email"]')).toHaveText(demo.email);
      await expect(idClaims.locator('[data-claim="nonce"]')).toHaveText(/.{20,}/);
      const userinfo = page.getByRole('table', { name: 'UserInfo response' });
      await expect(userinfo.locator('[data-claim="username"]')).toHaveText(demo.username);
      await expect(userinfo.locator('[data-claim="email_verified"]')).toHaveText('true');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page).toHaveURL(/\/demo$/);
      await expect(page.getByText('You are not signed in to the demo app.')).toBeVisible();
      const names = (await page.context().cookies()).map((c) => c.name);
      expect(names).not.toContain('portico_session');
      expect(names).not.toContain('next-auth.session-token');

      // Portico's session ended too: signing in again asks for the password.
      await page.getByRole('button', { name: 'Sign in with Portico' }).click();
      await expect(page).toHaveURL(/\/login\?tx=/);
    });

    test('in Spanish, and Portico signs in in the same language', async ({ page }) => {
      await page.goto('/demo?lang=es');
      await expect(page.getByRole('heading', { level: 1, name: 'Aplicación de demostración' })).toBeVisible();
      await page.getByRole('button', { name: 'Iniciar sesión con Portico' }).click();
      await expect(page).toHaveURL(/\/login\?tx=.*ui_locales=es/);
      await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    });
  });
}
