import { describe, expect, it, vi } from 'vitest';
import * as ReactDomServer from 'react-dom/server';
import { renderLoginPage, renderLoginPageDirect } from '../../lib/hosted/render-login';
import type { StepPageData } from '../../lib/hosted/step-page';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { Transaction } from '../../lib/hosted/transactions';
import type { FormError } from '../../lib/hosted/form-errors';
import { stepUrl } from '../../lib/hosted/routes';
import { translator } from '../../lib/i18n/translate';
import { withOverrides } from '../../lib/i18n/overrides';
import type { Locale } from '../../lib/i18n/locales';
import { languageForm } from '../../lib/i18n/language-form';
import { ThemeDocumentSchema } from '../../lib/branding/theme-schema';
import { mergeThemes, withCss } from '../../lib/branding/resolve-theme';
import { pageThemeOf } from '../../lib/branding/page-theme';
import { randomToken } from '../../lib/crypto/random';

/**
 * The sign-in form's first view is rendered once per shape and filled in per visit
 * (lib/hosted/render-login.tsx). Whatever the inputs, the page must be exactly what rendering it
 * directly gives, and nothing of one visit may show in another's.
 */
vi.mock('react-dom/server', async (original) => {
  const real = await original<typeof import('react-dom/server')>();
  return { ...real, renderToStaticMarkup: vi.fn(real.renderToStaticMarkup) };
});

interface Shape {
  locale?: Locale;
  clientName?: string;
  selfSignUp?: boolean;
  themed?: boolean;
  hints?: { lang?: string; uiLocales?: string };
  overrides?: Record<string, string>;
  error?: FormError;
  typed?: string;
  notice?: string;
  flashError?: boolean;
}

interface Visit {
  tx: string;
  csrf: string;
  nonce: string;
}

const newVisit = (): Visit => ({ tx: randomToken(24), csrf: randomToken(32), nonce: Buffer.from(randomToken(18)).toString('base64') });

function theme(locale: Locale): StepPageData['theme'] {
  const doc = ThemeDocumentSchema.parse({
    colors: { light: { brand: '#7c2d12' } },
    layout: 'split',
    logo: `/branding/assets/${'b'.repeat(64)}.svg`,
    termsUrl: { default: 'https://example.com/terms' },
    customCss: '.portico-card { letter-spacing: .01em }',
  });
  return pageThemeOf(withCss(mergeThemes(undefined, doc), { css: '.submitButton-customizable { background-color: #7c2d12; }' }), translator(locale, ['common']));
}

function data(shape: Shape, visit: Visit): StepPageData {
  const locale = shape.locale ?? 'en';
  const hints = shape.hints ?? {};
  const base = translator(locale, ['hosted', 'common']);
  return {
    rt: {} as HostedRuntime,
    tx: { id: visit.tx, state: { step: 'login', typedUsername: shape.typed, notice: shape.notice }, expiresAt: 0 } as unknown as Transaction,
    csrf: visit.csrf,
    action: stepUrl('/login', visit.tx, hints),
    error: shape.error,
    tr: withOverrides(base, shape.overrides),
    nonce: visit.nonce,
    clientName: shape.clientName,
    language: languageForm('/login', { tx: visit.tx }),
    flash: shape.flashError ? { values: { username: 'someone@example.com' }, errors: { username: 'required' as FormError } } : { values: {}, errors: {} },
    selfSignUp: shape.selfSignUp ?? false,
    pageHref: (path, extra) => stepUrl(path, visit.tx, hints, extra),
    theme: shape.themed ? theme(locale) : undefined,
  };
}

const ASSETS = { stylesheets: ['/_next/static/chunks/abc123.css'] };

const SHAPES: Shape[] = [
  {},
  { locale: 'ar' },
  { locale: 'ja', clientName: 'Journey & <app> "quoted"' },
  { locale: 'de', selfSignUp: true },
  { locale: 'de' },
  { themed: true },
  { themed: true, locale: 'fr', selfSignUp: true, clientName: 'Café' },
  { hints: { lang: 'fr' } },
  { hints: { uiLocales: 'pt-BR es' } },
  { hints: { lang: 'PorticoTxPlaceholder0q' } },
  { clientName: 'PorticoTxPlaceholder0q and PorticoCsrfPlaceholder0q' },
  { overrides: { 'hosted:login.title': 'Welcome back' } },
  { overrides: { 'hosted:login.title': 'Hello again' } },
  { error: 'wrong_credentials' },
  { typed: 'alice@example.com' },
  { typed: 'bob@example.com' },
  { notice: 'passwordChanged' },
  { flashError: true },
];

describe('the sign-in page rendered once per shape', () => {
  it('equals the direct render for every shape and visit, and shows nothing of another visit', () => {
    const seen: { visit: Visit; html: string }[] = [];
    for (const shape of SHAPES) {
      for (let i = 0; i < 3; i++) {
        const visit = newVisit();
        const html = renderLoginPage(data(shape, visit), ASSETS);
        expect(html, JSON.stringify(shape)).toBe(renderLoginPageDirect(data(shape, visit), ASSETS));
        expect(html).toContain(visit.tx);
        expect(html).toContain(visit.csrf);
        expect(html).toContain(visit.nonce);
        // A placeholder shows only where the shape itself spells one (as text the page displays).
        if (!JSON.stringify(shape).includes('Placeholder0q')) expect(html).not.toMatch(/Placeholder0q/);
        seen.push({ visit, html });
      }
    }
    // Another build's stylesheets: another template.
    const other = { stylesheets: ['/_next/static/chunks/other.css', '/_next/static/chunks/more.css'] };
    const visit = newVisit();
    expect(renderLoginPage(data({}, visit), other)).toBe(renderLoginPageDirect(data({}, visit), other));
    // No visit's transaction, token or nonce appears on any other visit's page.
    for (const a of seen) {
      for (const b of seen) {
        if (a === b) continue;
        expect(b.html.includes(a.visit.tx) || b.html.includes(a.visit.csrf) || b.html.includes(a.visit.nonce)).toBe(false);
      }
    }
  });

  it('renders a shape through React once, and pages about the person every time', () => {
    const render = vi.mocked(ReactDomServer.renderToStaticMarkup);
    const shape: Shape = { locale: 'it', clientName: 'Counted app' };
    render.mockClear();
    for (let i = 0; i < 5; i++) renderLoginPage(data(shape, newVisit()), ASSETS);
    expect(render).toHaveBeenCalledTimes(1);
    render.mockClear();
    for (let i = 0; i < 3; i++) renderLoginPage(data({ ...shape, typed: `user${i}` }, newVisit()), ASSETS);
    for (let i = 0; i < 3; i++) renderLoginPage(data({ ...shape, error: 'wrong_credentials' }, newVisit()), ASSETS);
    expect(render).toHaveBeenCalledTimes(6);
  });
});
