import { describe, expect, it } from 'vitest';
import { renderLoginPage } from '../../lib/hosted/render-login';
import type { StepPageData } from '../../lib/hosted/step-page';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { Transaction } from '../../lib/hosted/transactions';
import type { FormError } from '../../lib/hosted/form-errors';
import { stepUrl } from '../../lib/hosted/routes';
import { translator } from '../../lib/i18n/translate';
import type { Locale } from '../../lib/i18n/locales';
import { languageForm } from '../../lib/i18n/language-form';

/**
 * The sign-in page the custom server draws without the App Router: the same components, the document
 * around them (lang/dir, title, stylesheet, no client runtime), the nonce on its one inline script, and
 * the error summary that takes focus.
 */
const CSS = '/_next/static/chunks/abc123.css';
const NONCE = 'bm9uY2Utbm9uY2Utbm9uY2U=';

function data(o: { locale?: Locale; error?: FormError; typed?: string; clientName?: string; selfSignUp?: boolean } = {}): StepPageData {
  const tx = { id: 'TX1', state: { step: 'login', typedUsername: o.typed }, expiresAt: 0 } as unknown as Transaction;
  return {
    rt: {} as HostedRuntime,
    tx,
    csrf: 'CSRF-TOKEN',
    action: stepUrl('/login', 'TX1', {}),
    error: o.error,
    tr: translator(o.locale ?? 'en', ['hosted', 'common']),
    nonce: NONCE,
    clientName: o.clientName,
    language: languageForm('/login', { tx: 'TX1' }),
    flash: { values: {}, errors: {} },
    selfSignUp: o.selfSignUp ?? false,
    pageHref: (path, extra) => stepUrl(path, 'TX1', {}, extra),
  };
}

const render = (o: Parameters<typeof data>[0] = {}) => renderLoginPage(data(o), { stylesheets: [CSS] });

describe('the sign-in page without the App Router', () => {
  it('is a whole document: doctype, lang and dir, title, description, robots, icon, the stylesheet with the nonce', () => {
    const html = render({ clientName: 'Journey app' });
    expect(html.startsWith('<!DOCTYPE html><html lang="en" dir="ltr">')).toBe(true);
    expect(html).toContain('<title>Sign in · Portico</title>');
    expect(html).toContain('<meta name="description" content="Hosted sign-in for Amazon Cognito user pools"/>');
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).toContain(`<link rel="stylesheet" href="${CSS}" nonce="${NONCE}"/>`);
    expect(html).toContain('<body class="min-h-screen font-sans">');
    expect(html).toContain('to continue to Journey app');
  });

  it('has no client runtime: two inline scripts (language picker, form guard), each carrying the nonce', () => {
    const html = render();
    expect(html).not.toMatch(/<script[^>]* src=/);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toEqual([`<script nonce="${NONCE}">`, `<script nonce="${NONCE}">`]);
  });

  it('posts to itself with the CSRF token; username focused when nothing was typed, password when it was', () => {
    const fresh = render();
    expect(fresh).toContain('<form class="space-y-4" action="/login?tx=TX1" method="post">');
    expect(fresh).toContain('<input type="hidden" name="csrf" value="CSRF-TOKEN"/>');
    expect(fresh).toMatch(/<input id="username"[^>]*autofocus=""/);
    expect(fresh).not.toMatch(/<input id="password"[^>]*autofocus=""/);
    const typed = render({ typed: 'pat' });
    expect(typed).toMatch(/<input id="username"[^>]*value="pat"/);
    expect(typed).toMatch(/<input id="password"[^>]*autofocus=""/);
    expect(typed).toMatch(/<input id="password"[^>]*autoComplete="current-password"/);
  });

  it('announces an error in a focused role="alert" summary that describes the fields', () => {
    const html = render({ error: 'wrong_credentials', typed: 'pat' });
    expect(html).toMatch(/<div id="error-summary" role="alert" tabindex="-1" autofocus=""[^>]*>/);
    expect(html).toContain('Incorrect username or password.');
    expect(html).toMatch(/<input id="password"[^>]*aria-invalid="true" aria-describedby="error-summary"/);
    // Only the summary takes focus.
    expect(html.match(/autofocus=""/g)).toHaveLength(1);
  });

  it('is right to left in Arabic, with the language picker keeping the transaction', () => {
    const html = render({ locale: 'ar' });
    expect(html.startsWith('<!DOCTYPE html><html lang="ar" dir="rtl">')).toBe(true);
    expect(html).toContain('تسجيل الدخول');
    expect(html).toMatch(/<form id="language-picker"[^>]* action="\/login" method="get">/);
    expect(html).toContain('<input type="hidden" name="tx" value="TX1"/>');
    expect(html).toContain('<option value="es" lang="es">Español</option>');
    expect(html).toContain('<option value="ar" lang="ar" selected="">العربية</option>');
  });

  it('escapes what the person typed', () => {
    const html = render({ typed: '"><script>alert(1)</script>' });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('links to password reset always, to sign-up only when the pool allows it, to confirmation after not_confirmed', () => {
    const closed = render();
    expect(closed).toContain('href="/forgotPassword?tx=TX1"');
    expect(closed).not.toContain('/signup?');
    expect(closed).not.toContain('/confirmUser?');
    const open = render({ selfSignUp: true, error: 'not_confirmed' });
    expect(open).toContain('href="/signup?tx=TX1">Create an account</a>');
    expect(open).toContain('href="/confirmUser?tx=TX1">Enter your confirmation code</a>');
  });
});
