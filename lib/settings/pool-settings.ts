import { z } from 'zod';
import type { Db } from '../db';
import { TextOverridesSchema } from '../i18n/overrides';
import { cachedConfig } from '../db/config-cache';

/**
 * Portico's own per-pool settings: what every app client of a pool shares and the pool itself does not
 * hold. One JSON document per pool id in pool_settings, written through the admin API
 * (`PUT /admin/pools/{poolId}/settings`); a client's own settings win over these. Unknown keys are
 * refused, so a typo is an error.
 */
export const PoolSettingsSchema = z
  .object({
    /** The pool's wording of any hosted-page text, per locale; a client's `text` wins over it. */
    text: TextOverridesSchema.optional(),
  })
  .strict();

export type PoolSettings = z.infer<typeof PoolSettingsSchema>;

/** Cognito's pool id shape (`<region>_<id>`). */
export const POOL_ID = /^[\w-]{1,40}_[0-9a-zA-Z]{1,20}$/;

/** Every hosted page reads it: kept in memory (lib/db/config-cache.ts); a write shows at once. */
export function readPoolSettings(db: Db, poolId: string): Promise<PoolSettings | undefined> {
  return cachedConfig(db, `pool_settings\0${poolId}`, async () => {
    const row = await db.selectFrom('pool_settings').select('settings').where('pool_id', '=', poolId).executeTakeFirst();
    if (!row) return undefined;
    const parsed = PoolSettingsSchema.safeParse(JSON.parse(row.settings));
    // A document written by another version that this one cannot read is ignored rather than fatal.
    return parsed.success ? parsed.data : {};
  });
}

export async function writePoolSettings(db: Db, poolId: string, settings: PoolSettings, now: number): Promise<void> {
  const text = JSON.stringify(settings);
  const updated = await db.updateTable('pool_settings').set({ settings: text, updated_at: now }).where('pool_id', '=', poolId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto('pool_settings').values({ pool_id: poolId, settings: text, updated_at: now }).execute();
  }
}

export async function deletePoolSettings(db: Db, poolId: string): Promise<void> {
  await db.deleteFrom('pool_settings').where('pool_id', '=', poolId).execute();
}
