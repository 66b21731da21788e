import type { Translator } from './translate';
import { formatNumber } from './format';

/**
 * A plural text with the number left open, for a count that changes in the browser (the resend
 * countdown): one template per plural category of the locale, with MARKER where the number goes. The
 * page's script picks the form with Intl.PluralRules and writes the number with Intl.NumberFormat, as
 * the server does (fillPlural), so "3 ثوانٍ" becomes "ثانيتان" at 2 and not "2 ثوانٍ".
 */
export const PLURAL_MARKER = '\u2063#\u2063';

export interface PluralTemplates {
  locale: string;
  /** Category (`one`, `few`, …, always `other`) → text with PLURAL_MARKER for the number. */
  forms: Record<string, string>;
}

export function pluralTemplates(tr: Translator, key: string, values: Record<string, unknown> = {}): PluralTemplates {
  const categories = new Intl.PluralRules(tr.locale).resolvedOptions().pluralCategories;
  const forms: Record<string, string> = {};
  // A string count skips i18next's plural choice: each form is asked for by its own suffix.
  const other = tr.t(`${key}_other`, { ...values, count: PLURAL_MARKER });
  for (const category of categories) forms[category] = tr.t(`${key}_${category}`, { ...values, count: PLURAL_MARKER, defaultValue: other });
  return { locale: tr.locale, forms };
}

/** The text for `n`, exactly as the browser's script (pluralScript) computes it. */
export function fillPlural(templates: PluralTemplates, n: number): string {
  const form = templates.forms[new Intl.PluralRules(templates.locale).select(n)] ?? templates.forms['other'] ?? '';
  return form.split(PLURAL_MARKER).join(formatNumber(templates.locale, n));
}

/** JSON that cannot end the inline script it sits in (texts may be an admin's overrides). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A browser-side `function(n)` expression equivalent to fillPlural for these templates. */
export function pluralScript(templates: PluralTemplates): string {
  const l = scriptJson(templates.locale);
  return (
    `(function(F,M){var r=new Intl.PluralRules(${l}),f=new Intl.NumberFormat(${l});` +
    `return function(n){return (F[r.select(n)]||F.other||'').split(M).join(f.format(n))}})(${scriptJson(templates.forms)},${scriptJson(PLURAL_MARKER)})`
  );
}
