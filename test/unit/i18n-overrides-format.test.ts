import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { translator } from '../../lib/i18n/translate';
import { formatDate, formatNumber } from '../../lib/i18n/format';
import { TextOverridesSchema, mergeOverrides, overrideProblem, withOverrides } from '../../lib/i18n/overrides';
import { languageForm, languageFormOf } from '../../lib/i18n/language-form';
import { fillPlural, pluralScript, pluralTemplates, PLURAL_MARKER } from '../../lib/i18n/plural-templates';
import { LanguagePicker } from '../../components/language-picker';
import { ClientSettingsSchema } from '../../lib/settings/client-settings';
import { PoolSettingsSchema } from '../../lib/settings/pool-settings';

describe('numbers and dates for the locale', () => {
  it('formats every interpolated number with the locale’s digits and grouping', () => {
    expect(translator('en', 'signup').t('confirm.wait', { count: 1500 })).toBe('You can ask for a new code in 1,500 seconds.');
    // Persian writes its own digits by default; Spanish does not group four digits.
    expect(formatNumber('fa', 1234)).toBe('۱٬۲۳۴');
    expect(translator('es', 'signup').t('confirm.wait', { count: 1500 })).toBe('Podrás pedir un código nuevo en 1500 segundos.');
    expect(translator('de', 'signup').t('signup:confirm.wait', { count: 12000 })).toContain('12.000');
  });

  it('formats dates in the locale’s calendar and words', () => {
    const d = Date.UTC(2026, 0, 15, 12, 0);
    expect(formatDate('en', d, { dateStyle: 'long', timeZone: 'UTC' })).toBe('January 15, 2026');
    expect(formatDate('es', d, { dateStyle: 'long', timeZone: 'UTC' })).toBe('15 de enero de 2026');
    expect(formatDate('en', 'not a date')).toBe('not a date');
  });
});

describe('text overrides: validation', () => {
  it('accepts English keys with the English placeholders, and the locale’s own plural categories', () => {
    expect(overrideProblem('es', 'hosted:login.title', 'Entra en Acme')).toBeUndefined();
    expect(overrideProblem('es', 'hosted:toContinue', 'para ir a {{client}}')).toBeUndefined();
    expect(overrideProblem('ar', 'signup:confirm.wait_few', 'انتظر {{count}} ثوانٍ')).toBeUndefined();
    // A language may write "one" in words: {{count}} may be left out of a plural form.
    expect(overrideProblem('ar', 'signup:confirm.wait_one', 'انتظر ثانية')).toBeUndefined();
  });

  it('refuses unknown keys, other placeholders, plural categories the locale lacks, and message texts', () => {
    expect(overrideProblem('en', 'hosted:login.nope', 'x')).toMatch(/no such text/);
    expect(overrideProblem('en', 'login.title', 'x')).toMatch(/namespace/);
    expect(overrideProblem('en', 'hosted:toContinue', 'to continue to {{app}}')).toMatch(/\{\{client\}\}/);
    expect(overrideProblem('en', 'hosted:toContinue', 'to continue')).toMatch(/placeholders/);
    expect(overrideProblem('en', 'signup:confirm.wait_few', '{{count}}')).toMatch(/no plural form "few"/);
    expect(overrideProblem('en', 'signup:confirm.wait', '{{count}}')).toMatch(/no such text/);
    expect(overrideProblem('en', 'signup:confirm.wait_other', 'Wait {{seconds}}')).toMatch(/placeholders/);
    expect(overrideProblem('en', 'messages:verify.subject', 'x')).toBeDefined();
  });

  it('is the `text` setting of clients and pools: known locales, values up to 2000 characters', () => {
    expect(ClientSettingsSchema.safeParse({ text: { es: { 'hosted:login.title': 'Hola' } } }).success).toBe(true);
    expect(PoolSettingsSchema.safeParse({ text: { ar: { 'hosted:login.title': 'أهلًا' } } }).success).toBe(true);
    expect(PoolSettingsSchema.safeParse({ text: { xx: { 'hosted:login.title': 'Hi' } } }).success).toBe(false);
    expect(PoolSettingsSchema.safeParse({ text: { en: { 'hosted:login.title': 'a'.repeat(2001) } } }).success).toBe(false);
    expect(PoolSettingsSchema.safeParse({ text: { en: { 'hosted:login.title': 'a'.repeat(2000) } } }).success).toBe(true);
    const bad = TextOverridesSchema.safeParse({ en: { 'hosted:nope': 'x' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['en', 'hosted:nope']);
    expect(PoolSettingsSchema.safeParse({ texts: {} }).success).toBe(false);
  });
});

describe('text overrides: precedence and use', () => {
  const pool = { es: { 'hosted:login.title': 'Pool', 'hosted:login.submit': 'Entrar (pool)' } };
  const client = { es: { 'hosted:login.title': 'Cliente' } };

  it('client over pool over the translation, per locale', () => {
    const merged = mergeOverrides('es', pool, client);
    const t = withOverrides(translator('es', ['hosted', 'common']), merged).t;
    expect(t('hosted:login.title')).toBe('Cliente');
    expect(t('login.submit')).toBe('Entrar (pool)');
    expect(t('hosted:login.password')).toBe(translator('es', 'hosted').t('login.password'));
    // Another locale is untouched.
    expect(withOverrides(translator('en', 'hosted'), mergeOverrides('en', pool, client)).t('login.title')).toBe('Sign in');
  });

  it('interpolates and formats an overridden text, and picks the plural category of the count', () => {
    const tr = withOverrides(translator('ar', ['signup', 'hosted', 'common']), {
      'hosted:toContinue': 'إلى {{client}}!',
      'signup:confirm.wait_two': 'ثانيتان فقط',
      'signup:confirm.wait_many': 'بقي {{count}}',
    });
    expect(tr.t('hosted:toContinue', { client: 'Acme' })).toBe('إلى Acme!');
    expect(tr.t('signup:confirm.wait', { count: 2 })).toBe('ثانيتان فقط');
    expect(tr.t('signup:confirm.wait', { count: 11 })).toBe('بقي 11');
    // A category without an override keeps the translation.
    expect(tr.t('signup:confirm.wait', { count: 3 })).toBe(translator('ar', 'signup').t('confirm.wait', { count: 3 }));
  });
});

describe('language picker', () => {
  it('carries the page’s parameters except the language hints', () => {
    expect(languageForm('/login', { tx: 'T1', f: 'F1', lang: 'es', ui_locales: 'fr', empty: '' })).toEqual({ action: '/login', hidden: [['tx', 'T1'], ['f', 'F1']] });
    expect(languageFormOf('/account?client_id=abc&redirect_uri=https%3A%2F%2Fapp%2Fcb&ui_locales=fr&lang=de')).toEqual({
      action: '/account',
      hidden: [['client_id', 'abc'], ['redirect_uri', 'https://app/cb']],
    });
  });

  it('is a GET form with a labelled select of every locale in its own name, hidden fields, a button and a nonce’d script', () => {
    const html = renderToStaticMarkup(
      createElement(LanguagePicker, { locale: 'ja', form: languageForm('/mfa', { tx: 'T"1' }), label: 'Language', submit: 'Change language', nonce: 'N0' }),
    );
    expect(html).toMatch(/^<form id="language-picker"[^>]* action="\/mfa" method="get">/);
    expect(html).toContain('<input type="hidden" name="tx" value="T&quot;1"/>');
    expect(html).toContain('<label for="language-picker-select"');
    expect(html).toContain('<select id="language-picker-select" name="lang"');
    expect(html).toContain('<option value="ja" lang="ja" selected="">日本語</option>');
    expect(html).toContain('<option value="he" lang="he">עברית</option>');
    expect(html.match(/<option /g)).toHaveLength(32);
    expect(html).toContain('<button type="submit"');
    expect(html).toContain('<script nonce="N0">');
    // Without a nonce (and so without JavaScript), the button does the work.
    const plain = renderToStaticMarkup(createElement(LanguagePicker, { locale: 'en', label: 'Language', submit: 'Change language' }));
    expect(plain).not.toContain('<script');
    expect(plain).not.toContain('action=');
  });
});

describe('resend countdown', () => {
  it('carries every plural form of the locale, and the browser picks the same text as the server', () => {
    const ar = pluralTemplates(translator('ar', 'signup'), 'signup:confirm.wait');
    expect(Object.keys(ar.forms).sort()).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    expect(ar.forms['few']).toContain(PLURAL_MARKER);
    expect(fillPlural(ar, 2)).toBe('يمكنك طلب رمز جديد بعد ثانيتين.');
    expect(fillPlural(ar, 3)).toBe('يمكنك طلب رمز جديد بعد 3 ثوانٍ.');
    const inBrowser = (0, eval)(pluralScript(ar)) as (n: number) => string;
    for (const n of [0, 1, 2, 3, 10, 11, 59, 100]) expect(inBrowser(n)).toBe(fillPlural(ar, n));
    const en = pluralTemplates(translator('en', 'signup'), 'signup:confirm.wait');
    expect(Object.keys(en.forms).sort()).toEqual(['one', 'other']);
    expect(fillPlural(en, 1)).toBe('You can ask for a new code in 1 second.');
    expect(fillPlural(en, 1000)).toBe('You can ask for a new code in 1,000 seconds.');
  });

  it('cannot end its script early, whatever the texts say', () => {
    expect(pluralScript({ locale: 'en', forms: { other: '</script><b>' } })).not.toContain('</');
  });
});
