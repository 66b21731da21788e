import { z } from 'zod';
import type { Db } from '../db';
import { locales } from '../i18n/locales';

/**
 * Portico's own per-client settings (ARCHITECTURE.md, "Portico's own settings"): what the pool does not
 * hold. One JSON document per client id in client_settings, written through the admin API
 * (`PUT /admin/clients/{clientId}/settings`) and read by the modules that need a part of it
 * (lib/oauth/client-settings.ts reads requirePkce). Unknown keys are refused, so a typo is an error.
 */
export const ClientSettingsSchema = z
  .object({
    /** PKCE even for a client with a secret (clients without one always need it). */
    requirePkce: z.boolean().optional(),
    /** The hosted pages' language when the request names none (after ui_locales, lang, cookie, Accept-Language). */
    defaultLocale: z.enum(locales as unknown as [string, ...string[]]).optional(),
  })
  .strict();

export type ClientSettings = z.infer<typeof ClientSettingsSchema>;

export async function readClientSettings(db: Db, clientId: string): Promise<ClientSettings | undefined> {
  const row = await db.selectFrom('client_settings').select('settings').where('client_id', '=', clientId).executeTakeFirst();
  if (!row) return undefined;
  const parsed = ClientSettingsSchema.safeParse(JSON.parse(row.settings));
  return parsed.success ? parsed.data : {};
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
