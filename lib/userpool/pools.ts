import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { EngineDeps } from './context';
import { errors, messages } from './errors';
import { prepared } from '../db/prepared';
import { cachedConfig } from '../db/config-cache';
import { parsedByText } from '../db/stored-documents';
import type { Db } from '../db';

/**
 * A pool's configuration is stored as Cognito's own UserPoolType document (without Id, Name and dates),
 * so Describe returns exactly what Create/Update stored, with Cognito's defaults filled in at creation.
 */
export type PoolConfig = Omit<UserPoolType, 'Id' | 'Name' | 'CreationDate' | 'LastModifiedDate' | 'Arn'>;

export interface PoolRecord {
  id: string;
  name: string;
  /** The part after `_`, used by SRP. */
  srpName: string;
  config: PoolConfig;
  createdAt: number;
  updatedAt: number;
}

export function poolNameForSrp(poolId: string): string {
  return poolId.slice(poolId.indexOf('_') + 1);
}

/**
 * Every sign-in reads its pool two or three times, and the document (schema attributes, templates,
 * policies) is large enough that parsing it cost more than the query.
 */
const poolConfigOf = parsedByText(64, (text) => JSON.parse(text) as PoolConfig);

const poolById = prepared((db: Db, id: string) => db.selectFrom('pools').selectAll().where('id', '=', id));

export async function findPool(deps: EngineDeps, poolId: string): Promise<PoolRecord | undefined> {
  // Every API call reads its pool: kept in memory (lib/db/config-cache.ts); a write shows at once.
  const row = await cachedConfig(deps.db, `pools\0${poolId}`, () => poolById.first(deps.db, poolId));
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    srpName: poolNameForSrp(row.id),
    config: poolConfigOf(row.config),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function requirePool(deps: EngineDeps, poolId: string): Promise<PoolRecord> {
  const pool = await findPool(deps, poolId);
  if (!pool) throw errors.resourceNotFound(messages.poolNotFound(poolId));
  return pool;
}

/** Case sensitivity of usernames and aliases (UsernameConfiguration.CaseSensitive; API default true). */
export function isCaseSensitive(pool: PoolRecord): boolean {
  return pool.config.UsernameConfiguration?.CaseSensitive !== false;
}

export function poolArn(deps: EngineDeps, poolId: string): string {
  return `arn:aws:cognito-idp:${deps.region}:000000000000:userpool/${poolId}`;
}
