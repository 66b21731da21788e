import type { FormatterModule } from 'i18next';

/**
 * Numbers and dates in the locale's own style (its default numbering system: Persian digits for fa,
 * Latin for ar as CLDR now has it). One cached Intl object per locale and option set, as pages format
 * on every view.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(cache: Map<string, T>, locale: string, options: object, make: () => T): T {
  const key = `${locale}|${JSON.stringify(options)}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = make();
    cache.set(key, hit);
  }
  return hit;
}

export function formatNumber(locale: string, value: number, options: Intl.NumberFormatOptions = {}): string {
  return cached(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options)).format(value);
}

const DEFAULT_DATE: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/** A date (or epoch milliseconds) for people: the locale's calendar and digits, medium date and short time. */
export function formatDate(locale: string, value: Date | number | string, options: Intl.DateTimeFormatOptions = DEFAULT_DATE): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return cached(dateFormats, locale, options, () => new Intl.DateTimeFormat(locale, options)).format(date);
}

/** `name(key: value; key2: value)` as i18next writes format options, e.g. `{{n, number(minimumFractionDigits: 2)}}`. */
function parseFormat(spec: string): { name: string; options: Record<string, unknown> } {
  const open = spec.indexOf('(');
  if (open < 0) return { name: spec.trim().toLowerCase(), options: {} };
  const options: Record<string, unknown> = {};
  for (const part of spec.slice(open + 1, spec.lastIndexOf(')')).split(';')) {
    const [k, ...rest] = part.split(':');
    const v = rest.join(':').trim();
    if (!k?.trim() || !v) continue;
    options[k.trim()] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  }
  return { name: spec.slice(0, open).trim().toLowerCase(), options };
}

/**
 * i18next's formatter with one change: every interpolated number or Date is formatted for the locale
 * even without a `, number` in the string (i18next's `alwaysFormat`), so translators need not remember
 * it and `{{count}}` reads ٣ or ۳ where the locale writes digits so.
 */
export const localeFormatter: FormatterModule = {
  type: 'formatter',
  init() {},
  add() {},
  addCached() {},
  format(value: unknown, format: string | undefined, lng: string | undefined, options?: Record<string, unknown>): string {
    return formatValue(value, format, (options?.['lng'] as string | undefined) ?? lng ?? 'en') as string;
  },
};

function formatValue(value: unknown, format: string | undefined, locale: string): unknown {
  if (value === null || value === undefined) return value;
  if (!format) {
    if (typeof value === 'number') return formatNumber(locale, value);
    if (value instanceof Date) return formatDate(locale, value);
    return value;
  }
  return format.split(',').reduce<unknown>((acc, spec) => {
    const { name, options: o } = parseFormat(spec);
    if (name === 'number' && typeof acc === 'number') return formatNumber(locale, acc, o);
    if (name === 'currency' && typeof acc === 'number') return formatNumber(locale, acc, { ...o, style: 'currency' });
    if (name === 'datetime' && (acc instanceof Date || typeof acc === 'number')) return formatDate(locale, acc, Object.keys(o).length ? o : DEFAULT_DATE);
    if (name === 'list' && Array.isArray(acc)) return new Intl.ListFormat(locale, o).format(acc.map(String));
    return acc;
  }, value);
}
