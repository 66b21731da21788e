import { z } from 'zod';
import { locales } from '../i18n/locales';
import { HEX_COLOUR } from './contrast';
import { COLOUR_KEYS, LAYOUTS, DEFAULT_DARK, DEFAULT_LIGHT, type ColourSet } from './defaults';
import { contrastFailures } from './validation';
import { MAX_CUSTOM_CSS, sanitiseCss } from './css-sanitiser';
import { ASSET_URL_PATH } from './assets';

/**
 * Portico's theme document, one per pool and one per app client (the client's wins, key by key, over
 * the pool's, which wins over Portico's defaults). Strict: an unknown key is an error, not ignored.
 * Images are given as `data:` URLs when written and stored as Portico asset paths; what GET returns
 * (asset paths) can be PUT back unchanged.
 */
const Colour = z.string().regex(HEX_COLOUR, 'must be a hex colour like #1d4ed8');
const ColourSetInput = z.strictObject(Object.fromEntries(COLOUR_KEYS.map((k) => [k, Colour.optional()])) as Record<(typeof COLOUR_KEYS)[number], z.ZodOptional<typeof Colour>>);

/** An image: `data:image/…;base64,…` when uploading, or the path of an asset Portico already stores. */
export const DATA_URL = /^data:(image\/(?:png|jpeg|webp|svg\+xml|x-icon|vnd\.microsoft\.icon));base64,([A-Za-z0-9+/]+={0,2})$/;
const Image = z
  .string()
  .max(300 * 1024)
  .refine((v) => DATA_URL.test(v) || ASSET_URL_PATH.test(v), 'must be a data:image/…;base64 URL or a /branding/assets/… path');

/** Family names and generic families only: a stack can name installed or self-hosted fonts, never load one. */
const FAMILY = String.raw`(?:"[A-Za-z0-9 _-]{1,64}"|'[A-Za-z0-9 _-]{1,64}'|[A-Za-z][A-Za-z0-9 _-]{0,63})`;
const FONT_STACK = new RegExp(String.raw`^\s*${FAMILY}(?:\s*,\s*${FAMILY})*\s*$`);

const PageUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https:\/\//.test(u) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(u), 'must be an https URL');
const LocalizedUrl = z.union([PageUrl, z.partialRecord(z.enum(['default', ...(locales as unknown as string[])] as [string, ...string[]]), PageUrl)]);
export type LocalizedUrlValue = z.infer<typeof LocalizedUrl>;

export const ThemeDocumentSchema = z
  .strictObject({
    logo: Image.optional(),
    favicon: Image.optional(),
    backgroundImage: Image.optional(),
    colors: z.strictObject({ light: ColourSetInput.optional(), dark: ColourSetInput.optional() }).optional(),
    fontFamily: z.string().max(300).regex(FONT_STACK, 'must be a list of font family names, e.g. "Inter", system-ui, sans-serif').optional(),
    cornerRadius: z.number().int().min(0).max(32).optional(),
    layout: z.enum(LAYOUTS).optional(),
    termsUrl: LocalizedUrl.optional(),
    privacyUrl: LocalizedUrl.optional(),
    customCss: z.string().max(MAX_CUSTOM_CSS * 2).optional(),
  })
  .superRefine((doc, ctx) => {
    if (doc.customCss !== undefined) {
      const result = sanitiseCss(doc.customCss, 'portico');
      if (!result.ok) for (const message of result.errors) ctx.addIssue({ code: 'custom', path: ['customCss'], message });
    }
  });

export type ThemeDocument = z.infer<typeof ThemeDocumentSchema>;

export const MAX_THEME_BODY = 1024 * 1024;

/** Each scheme's colours over the defaults, and the pairs that fail WCAG AA (path, message). */
export function themeContrastIssues(doc: ThemeDocument, base: { light: ColourSet; dark: ColourSet } = { light: DEFAULT_LIGHT, dark: DEFAULT_DARK }): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    const set = { ...base[scheme], ...stripUndefined(doc.colors?.[scheme] ?? {}) } as ColourSet;
    for (const f of contrastFailures(set)) {
      out.push({ path: `colors.${scheme}`, message: `${f.fg} on ${f.bg} has contrast ${f.ratio}:1; WCAG 2.2 AA needs ${f.min}:1` });
    }
  }
  return out;
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
