import fs from 'node:fs';
import { z } from 'zod';
import type { Db } from '../db';
import { EXTENSION, sniffImage, unsafeSvg } from './assets';
import { IMAGE_RULES, acceptTheme } from './theme-input';
import { DATA_URL, ThemeDocumentSchema, themeContrastIssues, type ThemeDocument } from './theme-schema';
import { writeTheme, type ThemeScope } from './theme-store';

/**
 * PORTICO_THEMES_FILE: theme documents as JSON, `{ "pools": { "<poolId>": theme }, "clients": {
 * "<clientId>": theme } }`, each checked exactly as the admin API checks a PUT (schema, contrast,
 * custom CSS, images) when the settings are read, so a bad file stops start-up before anything is
 * served. At every start the documents are written over what the store holds for those pools and
 * clients (the file wins for what it lists; others are left alone), which makes seeding idempotent.
 */
export interface ThemeSeed {
  scope: ThemeScope;
  subject: string;
  theme: ThemeDocument;
}

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;

const FileSchema = z.strictObject({
  pools: z.record(z.string(), z.unknown()).optional(),
  clients: z.record(z.string(), z.unknown()).optional(),
});

/** Why an inline image would be refused by the admin API, or undefined (the bytes are stored at seeding). */
function imageIssue(key: keyof typeof IMAGE_RULES, value: string): string | undefined {
  const m = DATA_URL.exec(value);
  if (!m) return undefined;
  const bytes = Buffer.from(m[2]!, 'base64');
  const rule = IMAGE_RULES[key];
  if (bytes.length === 0) return 'the image is empty';
  if (bytes.length > rule.maxBytes) return `the image is larger than ${Math.round(rule.maxBytes / 1024)} KB`;
  const type = sniffImage(bytes);
  if (!type || !rule.allowed.includes(type)) return `the image must be ${rule.allowed.map((t) => EXTENSION[t].toUpperCase()).join(', ')}`;
  return type === 'image/svg+xml' ? unsafeSvg(bytes) : undefined;
}

/** The first problem with one document, as `path: message`, or the parsed document. */
function checkTheme(where: string, value: unknown): { theme: ThemeDocument } | { error: string } {
  const parsed = ThemeDocumentSchema.safeParse(value);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { error: `${[where, ...i.path.map(String)].join('.')}: ${i.message}` };
  }
  const contrast = themeContrastIssues(parsed.data)[0];
  if (contrast) return { error: `${where}.${contrast.path}: ${contrast.message}` };
  for (const key of ['logo', 'favicon', 'backgroundImage'] as const) {
    const v = parsed.data[key];
    const why = v === undefined ? undefined : imageIssue(key, v);
    if (why) return { error: `${where}.${key}: ${why}` };
  }
  return { theme: parsed.data };
}

export function parseThemesFile(value: unknown): { themes: ThemeSeed[] } | { error: string } {
  const parsed = FileSchema.safeParse(value);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { error: `${i.path.join('.') || '(file)'}: ${i.message}` };
  }
  const themes: ThemeSeed[] = [];
  for (const [scope, group, idPattern, what] of [
    ['pool', parsed.data.pools, POOL_ID, 'a user pool id like us-east-1_AbC123'],
    ['client', parsed.data.clients, CLIENT_ID, 'an app client id'],
  ] as const) {
    for (const [subject, doc] of Object.entries(group ?? {})) {
      const where = `${scope}s.${subject}`;
      if (!idPattern.test(subject)) return { error: `${where}: must be ${what}` };
      const checked = checkTheme(where, doc);
      if ('error' in checked) return checked;
      themes.push({ scope, subject, theme: checked.theme });
    }
  }
  return { themes };
}

export function readThemesFile(file: string): { themes: ThemeSeed[] } | { error: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `${file} is not valid JSON` };
  }
  const parsed = parseThemesFile(value);
  return 'error' in parsed ? { error: `${file}: ${parsed.error}` } : parsed;
}

/**
 * Writes the file's themes (inline images stored as assets, like a PUT). A document naming an asset
 * this database does not hold is skipped and reported; the rest are still written.
 */
export async function seedThemes(db: Db, seeds: readonly ThemeSeed[], now: number): Promise<{ written: number; skipped: string[] }> {
  const skipped: string[] = [];
  let written = 0;
  for (const seed of seeds) {
    const accepted = await acceptTheme(db, seed.theme, now);
    if (!accepted.ok) {
      skipped.push(`${seed.scope}s.${seed.subject}.${accepted.issues[0]!.path}: ${accepted.issues[0]!.message}`);
      continue;
    }
    await writeTheme(db, seed.scope, seed.subject, accepted.theme, now);
    written++;
  }
  return { written, skipped };
}
