import { z } from 'zod';
import type { Db } from '../db';
import { prepared } from '../db/prepared';
import { cachedConfig } from '../db/config-cache';
import { parsedByText } from '../db/stored-documents';
import { locales } from '../i18n/locales';
import { FrameOriginsSchema } from '../hosted/embed/origins';
import { TextOverridesSchema } from '../i18n/overrides';

/**
 * Portico's own per-client settings (ARCHITECTURE.md, "Portico's own settings"): what the pool does not
 * hold. One JSON document per client id in client_settings, written through the admin API
 * (`PUT /admin/clients/{clientId}/settings`) and read by the modules that need a part of it
 * (lib/oauth/client-settings.ts reads requirePkce). Unknown keys are refused, so a typo is an error.
 */
/** A page people should read before signing up: https (or http on localhost for development). */
const PageUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https:\/\//.test(u) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(u), 'must be an https URL');

/** One URL for every language, or one per locale with an optional `default`. */
const LocalizedUrl = z.union([PageUrl, z.partialRecord(z.enum(['default', ...(locales as unknown as string[])] as [string, ...string[]]), PageUrl)]);

export const ClientSettingsSchema = z
  .object({
    /** PKCE even for a client with a secret (clients without one always need it). */
    requirePkce: z.boolean().optional(),
    /** The hosted pages' language when the request names none (after ui_locales, lang, cookie, Accept-Language). */
    defaultLocale: z.enum(locales as unknown as [string, ...string[]]).optional(),
    /** Terms of use and privacy policy, linked from the sign-up page. */
    termsUrl: LocalizedUrl.optional(),
    privacyUrl: LocalizedUrl.optional(),
    /** Parent origins that may embed this client's hosted pages in an iframe (README, "Embedding in an iframe"). */
    frameOrigins: FrameOriginsSchema.optional(),
    /** The client's own wording of any hosted-page text, per locale (`{"es": {"hosted:login.title": "…"}}`); wins over the pool's. */
    text: TextOverridesSchema.optional(),
  })
  .strict();

export type ClientSettings = z.infer<typeof ClientSettingsSchema>;

/** The URL of a localized link setting for `locale` (its own, else `default`, else none). */
export function localizedUrl(value: z.infer<typeof LocalizedUrl> | undefined, locale: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return value[locale] ?? value['default'];
}

const settingsRow = prepared((db: Db, clientId: string) => db.selectFrom('client_settings').select('settings').where('client_id', '=', clientId));

/** Every authorize reads its client's document. A stored document a stricter release no longer accepts reads as no settings. */
const parseSettings = parsedByText(512, (text): ClientSettings => {
  const parsed = ClientSettingsSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : {};
});

/** Every hosted page reads it: kept in memory (lib/db/config-cache.ts); a write shows at once. */
export function readClientSettings(db: Db, clientId: string): Promise<ClientSettings | undefined> {
  return cachedConfig(db, `client_settings\0${clientId}`, async () => {
    const row = await settingsRow.first(db, clientId);
    return row ? parseSettings(row.settings) : undefined;
  });
}

export async function writeClientSettings(db: Db, clientId: string, settings: ClientSettings, now: number): Promise<void> {
  const text = JSON.stringify(settings);
  const updated = await db.updateTable('client_settings').set({ settings: text, updated_at: now }).where('client_id', '=', clientId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto('client_settings').values({ client_id: clientId, settings: text, updated_at: now }).execute();
  }
}

export async function deleteClientSettings(db: Db, clientId: string): Promise<void> {
  await db.deleteFrom('client_settings').where('client_id', '=', clientId).execute();
}
