import { z } from 'zod';
import type { TFunction } from 'i18next';
import { defaultLocale, locales, type Locale } from './locales';
import { resources, type Namespace } from './resources';
import type { Translator } from './translate';

/**
 * Text overrides: a client's or pool's own wording for any string of the hosted pages, per locale
 * (`{"es": {"hosted:login.title": "Entra en Acme"}}`). Keys are English keys (`<ns>:<key>`); a plural
 * key is overridden per plural category of that locale (`signup:confirm.wait_few` for Arabic), so
 * the override reads right for every count.
 */
export type TextOverrides = Readonly<Record<string, string>>;

/** Emails and SMS are the pool's (its own Cognito templates), not the hosted pages': no overrides there. */
const NOT_OVERRIDABLE: ReadonlySet<Namespace> = new Set<Namespace>(['messages']);
export const MAX_OVERRIDE_LENGTH = 2000;
const PLURAL = /^(.*)_(zero|one|two|few|many|other)$/;

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (typeof value === 'string') out.set(prefix, value);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, `${prefix}.${k}`, out);
}

let english: { keys: Map<string, string>; pluralBases: Set<string> } | undefined;

/** Every English string by `<ns>:<key>`, and the bases of its plural keys. */
function englishIndex(): NonNullable<typeof english> {
  if (english) return english;
  const keys = new Map<string, string>();
  for (const [ns, tree] of Object.entries(resources()[defaultLocale])) {
    for (const [k, v] of Object.entries(tree)) flatten(v, `${ns}:${k}`, keys);
  }
  const pluralBases = new Set<string>();
  for (const key of keys.keys()) {
    const m = PLURAL.exec(key);
    if (m && keys.has(`${m[1]}_one`) && keys.has(`${m[1]}_other`)) pluralBases.add(m[1]!);
  }
  english = { keys, pluralBases };
  return english;
}

/** The `{{name}}` placeholders of a string (format specifiers aside). */
export function placeholdersOf(text: string): Set<string> {
  return new Set([...text.matchAll(/\{\{\s*-?\s*([^,}\s]+)[^}]*\}\}/g)].map((m) => m[1]!));
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** What is wrong with one override, or undefined when it is acceptable for `locale`. */
export function overrideProblem(locale: Locale, key: string, text: string): string | undefined {
  const { keys, pluralBases } = englishIndex();
  const ns = key.split(':')[0] as Namespace;
  if (!key.includes(':') || NOT_OVERRIDABLE.has(ns)) return 'not a hosted page text (`<namespace>:<key>`; emails use the pool templates)';
  const plural = PLURAL.exec(key);
  if (plural && pluralBases.has(plural[1]!)) {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories as string[];
    if (!categories.includes(plural[2]!)) return `${locale} has no plural form "${plural[2]}" (it has ${categories.join(', ')})`;
    const reference = placeholdersOf(keys.get(`${plural[1]}_other`)!);
    const own = placeholdersOf(text);
    // A language may write the number in words ("one second"), so {{count}} may be left out.
    if (![...own].every((p) => reference.has(p)) || ![...reference].every((p) => p === 'count' || own.has(p))) {
      return `placeholders must be those of the English text: ${[...reference].map((p) => `{{${p}}}`).join(' ') || 'none'}`;
    }
    return undefined;
  }
  const reference = keys.get(key);
  if (reference === undefined || pluralBases.has(key)) return 'no such text in English';
  if (!sameSet(placeholdersOf(text), placeholdersOf(reference))) {
    return `placeholders must be those of the English text: ${[...placeholdersOf(reference)].map((p) => `{{${p}}}`).join(' ') || 'none'}`;
  }
  return undefined;
}

const LocaleEnum = z.enum(locales as unknown as [Locale, ...Locale[]]);

/** The `text` setting of a client or a pool: per locale, English key → text. */
export const TextOverridesSchema = z
  .partialRecord(LocaleEnum, z.record(z.string().max(200), z.string().max(MAX_OVERRIDE_LENGTH)))
  .superRefine((value, ctx) => {
    for (const [locale, texts] of Object.entries(value)) {
      for (const [key, text] of Object.entries(texts ?? {})) {
        const problem = overrideProblem(locale as Locale, key, text);
        if (problem) ctx.addIssue({ code: 'custom', path: [locale, key], message: problem });
      }
    }
  });
export type TextSetting = z.infer<typeof TextOverridesSchema>;

/** Client over pool over the translation: the map for one locale. */
export function mergeOverrides(locale: Locale, ...layers: (TextSetting | undefined)[]): TextOverrides {
  return Object.assign({}, ...layers.map((l) => l?.[locale] ?? {}));
}

// A key no locale has: translating it yields the defaultValue, interpolated and formatted like any text.
const OVERRIDE_CARRIER = '\u0001override';

type TOptions = Record<string, unknown> & { ns?: string | readonly string[]; count?: unknown; ordinal?: boolean };

/** The English key i18next would resolve for `key` with these namespaces (first that exists). */
function resolvedKey(key: string, defaultNs: readonly string[], options: TOptions | undefined): string | undefined {
  const { keys, pluralBases } = englishIndex();
  if (key.includes(':')) return key;
  const nsList = options?.ns ? ([] as string[]).concat(options.ns as string | string[]) : defaultNs;
  return nsList.map((n) => `${n}:${key}`).find((full) => keys.has(full) || pluralBases.has(full));
}

/**
 * The translator with `overrides` consulted first. An overridden text goes through i18next like any
 * other (placeholders, number formatting); a plural key picks the override of the count's category.
 */
export function withOverrides(tr: Translator, overrides: TextOverrides | undefined): Translator {
  if (!overrides || Object.keys(overrides).length === 0) return tr;
  const { pluralBases } = englishIndex();
  const defaultNs = tr.ns ?? ['common'];
  const lookup = (key: unknown, options: TOptions | undefined): string | undefined => {
    for (const k of Array.isArray(key) ? key : [key]) {
      if (typeof k !== 'string') continue;
      const full = resolvedKey(k, defaultNs, options);
      if (!full) continue;
      if (pluralBases.has(full) && typeof options?.count === 'number') {
        const category = new Intl.PluralRules(tr.locale, { type: options.ordinal ? 'ordinal' : 'cardinal' }).select(options.count);
        return overrides[`${full}_${category}`];
      }
      return overrides[full];
    }
    return undefined;
  };
  const base = tr.t as unknown as (key: unknown, options?: unknown) => string;
  const t = (key: unknown, options?: TOptions) => {
    const text = lookup(key, options);
    return text === undefined ? base(key, options) : base(OVERRIDE_CARRIER, { ...options, defaultValue: text });
  };
  return { ...tr, t: t as unknown as TFunction, variant: `${tr.variant ?? ''}${JSON.stringify(overrides)}` };
}

/** The English text of `<ns>:<key>`, if there is one. */
export function englishText(fullKey: string): string | undefined {
  return englishIndex().keys.get(fullKey);
}
