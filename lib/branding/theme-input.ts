import type { Db } from '../db';
import { assetExists, storeAsset, type AssetType } from './assets';
import { DATA_URL, ThemeDocumentSchema, themeContrastIssues, type ThemeDocument } from './theme-schema';

/**
 * A theme document as written by an admin (the API or PORTICO_THEMES_FILE): validated, colour pairs
 * checked against WCAG AA, `data:` images stored as assets and replaced by their paths. Nothing is
 * stored unless the whole document is acceptable — except assets, which are content-addressed and
 * harmless to keep.
 */
export interface Issue {
  path: string;
  message: string;
}
export type AcceptResult = { ok: true; theme: ThemeDocument } | { ok: false; issues: Issue[] };

export const IMAGE_RULES: Record<'logo' | 'favicon' | 'backgroundImage', { allowed: AssetType[]; maxBytes: number }> = {
  logo: { allowed: ['image/png', 'image/jpeg', 'image/svg+xml', 'image/webp'], maxBytes: 100 * 1024 },
  favicon: { allowed: ['image/png', 'image/svg+xml', 'image/x-icon'], maxBytes: 100 * 1024 },
  backgroundImage: { allowed: ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'], maxBytes: 200 * 1024 },
};

export async function acceptTheme(db: Db, value: unknown, now: number): Promise<AcceptResult> {
  const parsed = ThemeDocumentSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  const theme: ThemeDocument = { ...parsed.data };
  const issues: Issue[] = themeContrastIssues(theme);
  for (const key of ['logo', 'favicon', 'backgroundImage'] as const) {
    const v = theme[key];
    if (v === undefined) continue;
    const m = DATA_URL.exec(v);
    if (!m) {
      if (!(await assetExists(db, v))) issues.push({ path: key, message: 'no such asset' });
      continue;
    }
    const stored = await storeAsset(db, Buffer.from(m[2]!, 'base64'), now, IMAGE_RULES[key]);
    if (stored.ok) theme[key] = stored.path;
    else issues.push({ path: key, message: stored.message });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, theme };
}
