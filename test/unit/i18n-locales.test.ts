import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLocale, locales } from '../../lib/i18n/locales';
import { namespaces, resources } from '../../lib/i18n/resources';
import { translator } from '../../lib/i18n/translate';

/** Every locale has exactly the keys English has, in every namespace, and the server reads every file. */
const root = path.resolve(import.meta.dirname, '../../locales');

function keysOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Plural keys follow i18next's suffixes (`_zero`, `_one`, `_two`, `_few`, `_many`, `_other`): where English
 * has `key_one`/`key_other`, a locale must have exactly the categories its plural rules use (Arabic six,
 * Russian four, Japanese one), no more and no fewer.
 */
const PLURAL = /_(zero|one|two|few|many|other)$/;

function pluralBases(keys: string[]): Set<string> {
  return new Set(keys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
}

function expectedKeys(reference: string[], locale: string): string[] {
  const bases = pluralBases(reference);
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  const plain = reference.filter((k) => !(PLURAL.test(k) && bases.has(k.replace(PLURAL, ''))));
  return [...plain, ...[...bases].flatMap((b) => categories.map((c) => `${b}_${c}`))].sort();
}

describe('locale files', () => {
  it('exist as a directory for exactly the shipped locales', () => {
    const dirs = fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory());
    expect(dirs.sort()).toEqual([...locales].sort());
  });

  it('are what the server translates with, read from these files (lib/i18n/resources.ts)', () => {
    const loaded = resources();
    expect(Object.keys(loaded).sort()).toEqual([...locales].sort());
    for (const locale of locales) {
      for (const ns of namespaces) expect(loaded[locale][ns]).toEqual(readJson(path.join(root, locale, `${ns}.json`)));
    }
    // Once per process, whichever bundle asks first.
    expect(resources()).toBe(loaded);
  });

  for (const locale of locales) {
    it(`${locale}: has every namespace`, () => {
      const files = fs.readdirSync(path.join(root, locale)).filter((f) => f.endsWith('.json'));
      expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...namespaces].sort());
    });

    for (const ns of namespaces) {
      it(`${locale}/${ns}.json has the keys of ${defaultLocale}/${ns}.json, with the plural forms of ${locale}`, () => {
        const reference = keysOf(readJson(path.join(root, defaultLocale, `${ns}.json`)));
        const actual = keysOf(readJson(path.join(root, locale, `${ns}.json`))).sort();
        const wanted = expectedKeys(reference, locale);
        const missing = wanted.filter((k) => !actual.includes(k));
        const stray = actual.filter((k) => !wanted.includes(k));
        expect({ missing, stray }).toEqual({ missing: [], stray: [] });
      });

      it(`${locale}/${ns}.json has no empty strings and keeps English's placeholders`, () => {
        const en = resources()[defaultLocale][ns] as Record<string, unknown>;
        const tr = resources()[locale][ns] as Record<string, unknown>;
        const get = (o: unknown, key: string) => key.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown>)?.[k], o);
        const placeholders = (s: string) => [...new Set([...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}|\{(####|username)\}|\{##/g)].map((m) => m[1] ?? m[2] ?? '##'))].sort();
        for (const key of keysOf(en)) {
          if (PLURAL.test(key) && pluralBases(keysOf(en)).has(key.replace(PLURAL, ''))) continue;
          const value = get(tr, key);
          expect(typeof value, `${locale}/${ns}:${key}`).toBe('string');
          expect((value as string).trim(), `${locale}/${ns}:${key}`).not.toBe('');
          expect(placeholders(value as string), `${locale}/${ns}:${key}`).toEqual(placeholders(get(en, key) as string));
        }
        for (const base of pluralBases(keysOf(en))) {
          const reference = get(en, `${base}_other`) as string;
          for (const c of new Intl.PluralRules(locale).resolvedOptions().pluralCategories) {
            const value = get(tr, `${base}_${c}`);
            expect(typeof value, `${locale}/${ns}:${base}_${c}`).toBe('string');
            // A plural form may spell out its number ("one", "two") instead of {{count}}.
            const want = placeholders(reference).filter((p) => p !== 'count');
            expect(placeholders(value as string).filter((p) => p !== 'count'), `${locale}/${ns}:${base}_${c}`).toEqual(want);
          }
        }
      });
    }
  }
});

describe('translator', () => {
  it('translates per locale and gives the text direction', () => {
    expect(translator('es', 'errors').t('forbiddenTitle')).toBe('Solicitud rechazada');
    const ar = translator('ar', 'common');
    expect(ar.dir).toBe('rtl');
    expect(ar.t('languageLabel')).toBe('اللغة');
    expect(translator('en').dir).toBe('ltr');
  });

  it('reads other namespaces with a prefix', () => {
    expect(translator('en', ['home', 'common']).t('common:appName')).toBe('Portico');
  });
});
