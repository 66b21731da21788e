import type { Kysely, Migration } from 'kysely';
import type { Db } from '../db';

/**
 * Branding's tables, typed here rather than in lib/db/schema.ts so the module carries its own storage
 * (`brandingDb(db)` widens the handle). Registered as migration 0204_branding in lib/db/migrations.ts.
 */
export interface BrandingAssetsTable {
  /** sha256 of the bytes, hex. */
  hash: string;
  content_type: string;
  /** The bytes, base64 (text works the same on SQLite and PostgreSQL). */
  data: string;
  size: number;
  created_at: number;
}

/** Cognito's SetUICustomization, per pool and client id (`ALL` for the pool's fallback). */
export interface UiCustomizationsTable {
  pool_id: string;
  client_id: string;
  css: string | null;
  /** Path of the logo in branding_assets. */
  image_path: string | null;
  created_at: number;
  updated_at: number;
}

/** Portico's theme documents: scope `pool` or `client`, subject the pool or client id. */
export interface BrandingThemesTable {
  scope: string;
  subject: string;
  document: string;
  updated_at: number;
}

export type BrandingTables = {
  branding_assets: BrandingAssetsTable;
  ui_customizations: UiCustomizationsTable;
  branding_themes: BrandingThemesTable;
};

export function brandingDb(db: Db) {
  return db.withTables<BrandingTables>();
}
export type BrandingDb = ReturnType<typeof brandingDb>;

export const brandingMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('branding_assets')
      .addColumn('hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('content_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ui_customizations')
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('css', 'text')
      .addColumn('image_path', 'varchar(128)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ui_customizations_pk', ['pool_id', 'client_id'])
      .execute();
    await db.schema
      .createTable('branding_themes')
      .addColumn('scope', 'varchar(8)', (c) => c.notNull())
      .addColumn('subject', 'varchar(128)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('branding_themes_pk', ['scope', 'subject'])
      .execute();
  },
};
