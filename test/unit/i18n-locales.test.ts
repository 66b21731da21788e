import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLocale, locales } from '../../lib/i18n/locales';
import { namespaces, resources } from '../../lib/i18n/resources';
import { translator } from '../../lib/i18n/translate';

/** Every locale has exactly the keys English has, in every namespace, and every file is bundled. */
const root = path.resolve(import.meta.dirname, '../../locales');

function keysOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('locale files', () => {
  it('exist as a directory for exactly the shipped locales', () => {
    const dirs = fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory());
    expect(dirs.sort()).toEqual([...locales].sort());
  });

  for (const locale of locales) {
    it(`${locale}: every file is registered in lib/i18n/resources.ts`, () => {
      const files = fs.readdirSync(path.join(root, locale)).filter((f) => f.endsWith('.json'));
      expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...namespaces].sort());
    });

    for (const ns of namespaces) {
      it(`${locale}/${ns}.json has the same keys as ${defaultLocale}/${ns}.json`, () => {
        const reference = keysOf(readJson(path.join(root, defaultLocale, `${ns}.json`))).sort();
        const actual = keysOf(readJson(path.join(root, locale, `${ns}.json`))).sort();
        const missing = reference.filter((k) => !actual.includes(k));
        const stray = actual.filter((k) => !reference.includes(k));
        expect({ missing, stray }).toEqual({ missing: [], stray: [] });
      });

      it(`${locale}/${ns}.json has no empty strings and keeps English's placeholders`, () => {
        const en = resources[defaultLocale][ns] as Record<string, unknown>;
        const tr = resources[locale][ns] as Record<string, unknown>;
        for (const key of keysOf(en)) {
          const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], tr);
          const reference = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], en);
          expect(typeof value, `${locale}/${ns}:${key}`).toBe('string');
          expect((value as string).trim(), `${locale}/${ns}:${key}`).not.toBe('');
          const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
          expect(placeholders(value as string), `${locale}/${ns}:${key}`).toEqual(placeholders(reference as string));
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
