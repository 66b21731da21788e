import { describe, expect, it } from 'vitest';
import { matchLocale, negotiateLocale, parseAcceptLanguage } from '../../lib/i18n/locales';

describe('parseAcceptLanguage', () => {
  it('orders by q, keeps header order on ties and drops q=0 and *', () => {
    expect(parseAcceptLanguage('fr;q=0.5, es-MX, ar;q=0.9, *;q=0.1, en;q=0')).toEqual(['es-MX', 'ar', 'fr']);
  });
  it('handles empty and malformed headers', () => {
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage(' , ;q=1')).toEqual([]);
    expect(parseAcceptLanguage('es;q=abc, ar')).toEqual(['ar']);
  });
});

describe('matchLocale', () => {
  it('matches on the primary language subtag, case-insensitively', () => {
    expect(matchLocale('es-MX')).toBe('es');
    expect(matchLocale('AR_eg')).toBe('ar');
    expect(matchLocale('sw-KE')).toBeUndefined();
    expect(matchLocale('')).toBeUndefined();
  });

  it('maps regional and script variants and old codes to the shipped locale', () => {
    expect(matchLocale('pt-BR')).toBe('pt-BR');
    expect(matchLocale('PT-br')).toBe('pt-BR');
    expect(matchLocale('pt-PT')).toBe('pt-BR');
    expect(matchLocale('zh')).toBe('zh-CN');
    expect(matchLocale('zh-Hans-SG')).toBe('zh-CN');
    expect(matchLocale('zh-Hant')).toBe('zh-TW');
    expect(matchLocale('zh-HK')).toBe('zh-TW');
    expect(matchLocale('zh_TW')).toBe('zh-TW');
    expect(matchLocale('iw')).toBe('he');
    expect(matchLocale('no')).toBe('nb');
    expect(matchLocale('fa-IR')).toBe('fa');
  });
});

describe('negotiateLocale', () => {
  const all = { uiLocales: 'sw ar-SA', lang: 'es', cookie: 'en', acceptLanguage: 'es', clientDefault: 'es' };
  it('prefers ui_locales (first supported tag), then lang, cookie, Accept-Language, client default', () => {
    expect(negotiateLocale(all)).toBe('ar');
    expect(negotiateLocale({ ...all, uiLocales: 'sw xh' })).toBe('es');
    expect(negotiateLocale({ ...all, uiLocales: null, lang: 'sw', cookie: 'ar' })).toBe('ar');
    expect(negotiateLocale({ acceptLanguage: 'sw, ar;q=0.8, es;q=0.9' })).toBe('es');
    expect(negotiateLocale({ acceptLanguage: 'sw', clientDefault: 'ar' })).toBe('ar');
  });
  it('falls back to English', () => {
    expect(negotiateLocale({})).toBe('en');
    expect(negotiateLocale({ uiLocales: 'zz', lang: 'zz', cookie: 'zz', acceptLanguage: 'zz' })).toBe('en');
  });
});
