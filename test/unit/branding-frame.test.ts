import { describe, expect, it } from 'vitest';
import { renderLoginPage } from '../../lib/hosted/render-login';
import type { StepPageData } from '../../lib/hosted/step-page';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { Transaction } from '../../lib/hosted/transactions';
import { stepUrl } from '../../lib/hosted/routes';
import { translator } from '../../lib/i18n/translate';
import { languageForm } from '../../lib/i18n/language-form';
import { ThemeDocumentSchema } from '../../lib/branding/theme-schema';
import { mergeThemes, withCss } from '../../lib/branding/resolve-theme';
import { pageThemeOf } from '../../lib/branding/page-theme';

/** The frame every hosted page shares draws the theme: nonce'd style, container and layout, logo, legal links, Cognito's classes. */
const NONCE = 'bm9uY2Utbm9uY2Utbm9uY2U=';
const LOGO = `/branding/assets/${'b'.repeat(64)}.svg`;

function data(theme?: StepPageData['theme'], locale: 'en' | 'es' = 'en'): StepPageData {
  return {
    rt: {} as HostedRuntime,
    tx: { id: 'TX1', state: { step: 'login' }, expiresAt: 0 } as unknown as Transaction,
    csrf: 'CSRF',
    action: stepUrl('/login', 'TX1', {}),
    tr: translator(locale, ['hosted', 'common']),
    nonce: NONCE,
    language: languageForm('/login', { tx: 'TX1' }),
    flash: { values: {}, errors: { '': 'bad_credentials' } as never },
    selfSignUp: false,
    pageHref: (path, extra) => stepUrl(path, 'TX1', {}, extra),
    theme,
  };
}

describe('themed frame', () => {
  it('draws the theme under the nonce, with logo, layout, legal links and Cognito classes', () => {
    const doc = ThemeDocumentSchema.parse({
      colors: { light: { brand: '#7c2d12' } },
      layout: 'split',
      logo: LOGO,
      termsUrl: { default: 'https://example.com/terms', es: 'https://example.com/es/terminos' },
      customCss: '.portico-card { letter-spacing: .01em }',
    });
    const tr = translator('es', ['common']);
    const theme = pageThemeOf(withCss(mergeThemes(undefined, doc), { css: '.submitButton-customizable { background-color: #7c2d12; }' }), tr);
    const html = renderLoginPage(data(theme, 'es'), { stylesheets: [] });
    expect(html).toMatch(new RegExp(`<style nonce="${NONCE}" data-portico-theme="">:root\\{[^<]*--p-brand:#7c2d12;`));
    expect(html).toContain('.portico-hosted form[method=post i] button[type=submit]');
    expect(html).toContain('.portico-hosted .portico-card { letter-spacing: .01em }');
    expect(html).toContain('<div class="portico-hosted background-customizable" data-layout="split">');
    expect(html).toContain(`<img class="portico-logo logo-customizable" src="${LOGO}" alt=""/>`);
    expect(html).toContain('<a href="https://example.com/es/terminos" rel="noopener noreferrer">Condiciones de uso</a>');
    expect(html).toMatch(/class="errorMessage-customizable /);
  });

  it('without a theme keeps the container (Portico defaults from globals.css) and no style element', () => {
    const html = renderLoginPage(data(undefined), { stylesheets: [] });
    expect(html).toContain('<div class="portico-hosted background-customizable" data-layout="centered">');
    expect(html).not.toContain('data-portico-theme');
  });
});
