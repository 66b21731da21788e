import type { Db } from '../db';
import { brandingDb } from './tables';
import { prepared } from '../db/prepared';
import { cachedConfig } from '../db/config-cache';
import { ThemeDocumentSchema, type ThemeDocument } from './theme-schema';

/** Theme documents in Portico's store, keyed by scope (`pool` | `client`) and the pool or client id. */
export type ThemeScope = 'pool' | 'client';

/** Parsed documents by their stored text: pages read the same one or two themes over and over. */
const parsedDocuments = new Map<string, ThemeDocument | undefined>();
const PARSED_CACHE_SIZE = 256;

function parseDocument(document: string): ThemeDocument | undefined {
  if (parsedDocuments.has(document)) return parsedDocuments.get(document);
  // A stored document that no longer validates (a stricter release) is shown as no theme, not a 500.
  const parsed = ThemeDocumentSchema.safeParse(JSON.parse(document));
  const doc = parsed.success ? parsed.data : undefined;
  if (parsedDocuments.size >= PARSED_CACHE_SIZE) parsedDocuments.delete(parsedDocuments.keys().next().value!);
  parsedDocuments.set(document, doc);
  return doc;
}

export async function readTheme(db: Db, scope: ThemeScope, subject: string): Promise<ThemeDocument | undefined> {
  const row = await brandingDb(db).selectFrom('branding_themes').select('document').where('scope', '=', scope).where('subject', '=', subject).executeTakeFirst();
  return row ? parseDocument(row.document) : undefined;
}

const poolAndClientThemes = prepared((db: Db, poolId: string, clientId: string) =>
  brandingDb(db)
    .selectFrom('branding_themes')
    .select(['scope', 'document'])
    .where((eb) =>
      eb.or([eb.and([eb('scope', '=', 'pool'), eb('subject', '=', poolId)]), eb.and([eb('scope', '=', 'client'), eb('subject', '=', clientId)])]),
    ),
);
const poolTheme = prepared((db: Db, poolId: string) =>
  brandingDb(db).selectFrom('branding_themes').select(['scope', 'document']).where('scope', '=', 'pool').where('subject', '=', poolId),
);

/** The pool's and the client's documents in one query (every hosted page asks for both). */
export async function readThemes(db: Db, poolId: string, clientId: string | undefined): Promise<{ pool?: ThemeDocument; client?: ThemeDocument }> {
  // Kept in memory (lib/db/config-cache.ts): every hosted page asks, a write shows at once.
  const rows = await cachedConfig(db, `branding_themes\0${poolId}\0${clientId ?? ''}`, () =>
    clientId ? poolAndClientThemes.all(db, poolId, clientId) : poolTheme.all(db, poolId),
  );
  const of = (scope: ThemeScope) => {
    const row = rows.find((r) => r.scope === scope);
    return row ? parseDocument(row.document) : undefined;
  };
  return { pool: of('pool'), client: clientId ? of('client') : undefined };
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
