import type { Db } from '../db';
import { brandingDb } from './tables';
import { ThemeDocumentSchema, type ThemeDocument } from './theme-schema';

/** Theme documents in Portico's store, keyed by scope (`pool` | `client`) and the pool or client id. */
export type ThemeScope = 'pool' | 'client';

export async function readTheme(db: Db, scope: ThemeScope, subject: string): Promise<ThemeDocument | undefined> {
  const row = await brandingDb(db).selectFrom('branding_themes').select('document').where('scope', '=', scope).where('subject', '=', subject).executeTakeFirst();
  if (!row) return undefined;
  // A stored document that no longer validates (a stricter release) is shown as no theme, not a 500.
  const parsed = ThemeDocumentSchema.safeParse(JSON.parse(row.document));
  return parsed.success ? parsed.data : undefined;
}

export async function readThemes(db: Db, poolId: string, clientId: string | undefined): Promise<{ pool?: ThemeDocument; client?: ThemeDocument }> {
  const [pool, client] = await Promise.all([readTheme(db, 'pool', poolId), clientId ? readTheme(db, 'client', clientId) : undefined]);
  return { pool, client };
}

export async function writeTheme(db: Db, scope: ThemeScope, subject: string, doc: ThemeDocument, now: number): Promise<void> {
  const bdb = brandingDb(db);
  const document = JSON.stringify(doc);
  const updated = await bdb.updateTable('branding_themes').set({ document, updated_at: now }).where('scope', '=', scope).where('subject', '=', subject).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await bdb
      .insertInto('branding_themes')
      .values({ scope, subject, document, updated_at: now })
      .onConflict((oc) => oc.columns(['scope', 'subject']).doUpdateSet({ document, updated_at: now }))
      .execute();
  }
}

export async function deleteTheme(db: Db, scope: ThemeScope, subject: string): Promise<boolean> {
  const r = await brandingDb(db).deleteFrom('branding_themes').where('scope', '=', scope).where('subject', '=', subject).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
