import type { Kysely, Migration } from 'kysely';
import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { Db } from '../db';
import { sha256Base64Url } from '../crypto/secretbox';

/**
 * AWS mode: what a refresh must know that an Amazon Cognito refresh token does not carry.
 *
 * The embedded pool's token family remembers its scopes and its custom domain. A real Cognito pool
 * remembers neither: GetTokensFromRefreshToken hands the Pre Token Generation trigger only the
 * ClientMetadata of that call, and Portico's ID token must keep the `iss` it was first issued under
 * (OIDC Core §12.2) even when the refresh arrives on another host. So when an AWS-mode sign-in ends in
 * a code, Portico keeps a small record keyed by the SHA-256 of the refresh token (never the token
 * itself): the scopes granted and the base URL of the domain the sign-in ran on. It lives as long as
 * the refresh token can and is swept after that. Written at code issuance because that is where the
 * granted scopes and the domain are at hand; a code that is never redeemed leaves a record for a token
 * nobody holds, which is harmless and swept all the same.
 */
export interface AwsRefreshContextTable {
  /** sha256 of the refresh token, base64url. */
  token_digest: string;
  pool_id: string;
  client_id: string;
  /** The granted scopes, space-separated. */
  scopes: string;
  /** The custom domain's base URL of the sign-in; null for PORTICO_URL. */
  base_url: string | null;
  created_at: number;
  expires_at: number;
}

export type AwsRefreshTables = { aws_refresh_context: AwsRefreshContextTable };

function contextDb(db: Db) {
  return db.withTables<AwsRefreshTables>();
}

/** Registered as migration 0209_aws_refresh_context in lib/db/migrations.ts. */
export const awsRefreshContextMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('aws_refresh_context')
      .addColumn('token_digest', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('base_url', 'varchar(300)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('aws_refresh_context_exp').on('aws_refresh_context').column('expires_at').execute();
  },
};

export interface RefreshContext {
  scopes: string[];
  /** Set when the sign-in ran on a custom domain. */
  baseUrl?: string;
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };
/** Cognito's longest refresh-token validity (ten years). */
const MAX_REFRESH_SECONDS = 3650 * 86_400;

/** How long the client's refresh tokens live, from its description (Cognito's default: 30 days). */
export function refreshTokenLifetimeMs(client: UserPoolClientType | undefined): number {
  const value = client?.RefreshTokenValidity;
  const seconds =
    value && value > 0 ? value * (UNIT_SECONDS[client?.TokenValidityUnits?.RefreshToken ?? 'days'] ?? 86_400) : 30 * 86_400;
  return Math.min(seconds, MAX_REFRESH_SECONDS) * 1000;
}

export interface RememberInput extends RefreshContext {
  refreshToken: string;
  poolId: string;
  clientId: string;
  lifetimeMs: number;
  now: number;
}

export async function rememberRefreshContext(db: Db, input: RememberInput): Promise<void> {
  await contextDb(db)
    .insertInto('aws_refresh_context')
    .values({
      token_digest: sha256Base64Url(input.refreshToken),
      pool_id: input.poolId,
      client_id: input.clientId,
      scopes: input.scopes.join(' '),
      base_url: input.baseUrl ?? null,
      created_at: input.now,
      expires_at: input.now + input.lifetimeMs,
    })
    // A digest seen twice is the same token: what was first recorded for it stands.
    .onConflict((oc) => oc.column('token_digest').doNothing())
    .execute();
}

/** The record of a live refresh token of this client; undefined when there is none (or it expired). */
export async function refreshContextOf(db: Db, refreshToken: string, clientId: string, now: number): Promise<RefreshContext | undefined> {
  const row = await contextDb(db)
    .selectFrom('aws_refresh_context')
    .select(['client_id', 'scopes', 'base_url', 'expires_at'])
    .where('token_digest', '=', sha256Base64Url(refreshToken))
    .executeTakeFirst();
  // Another client's token is refused by the pool anyway; its record must not shape this one's.
  if (!row || row.client_id !== clientId || Number(row.expires_at) <= now) return undefined;
  return { scopes: row.scopes.split(' ').filter((s) => s !== ''), ...(row.base_url ? { baseUrl: row.base_url } : {}) };
}

export async function sweepRefreshContexts(db: Db, now: number): Promise<void> {
  await contextDb(db).deleteFrom('aws_refresh_context').where('expires_at', '<=', now).execute();
}
