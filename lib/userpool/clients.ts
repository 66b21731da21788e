import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { EngineDeps } from './context';
import { errors, messages } from './errors';
import { findPool, type PoolRecord } from './pools';
import { prepared } from '../db/prepared';
import { cachedConfig } from '../db/config-cache';
import type { Db } from '../db';

/** A client is stored as Cognito's UserPoolClientType (without id, pool, name, secret and dates). */
export type ClientConfig = Omit<
  UserPoolClientType,
  'ClientId' | 'UserPoolId' | 'ClientName' | 'ClientSecret' | 'CreationDate' | 'LastModifiedDate'
>;

export interface ClientRecord {
  clientId: string;
  poolId: string;
  name: string;
  secret?: string;
  config: ClientConfig;
  createdAt: number;
  updatedAt: number;
}

const SECRET_PURPOSE = 'client-secret';

export function sealClientSecret(deps: EngineDeps, secret: string): string {
  return deps.box.seal(secret, SECRET_PURPOSE);
}

const clientById = prepared((db: Db, id: string) => db.selectFrom('clients').selectAll().where('client_id', '=', id));

export async function findClient(deps: EngineDeps, clientId: string): Promise<ClientRecord | undefined> {
  // Every public call reads its client: kept in memory (lib/db/config-cache.ts); a write shows at once.
  const row = await cachedConfig(deps.db, `clients\0${clientId}`, () => clientById.first(deps.db, clientId));
  if (!row) return undefined;
  return {
    clientId: row.client_id,
    poolId: row.pool_id,
    name: row.client_name,
    secret: row.secret_enc ? deps.box.openText(row.secret_enc, SECRET_PURPOSE) : undefined,
    config: JSON.parse(row.config) as ClientConfig,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Resolves a public operation's ClientId to its client and pool (client ids are unique across pools). */
export async function requireClient(deps: EngineDeps, clientId: string): Promise<{ client: ClientRecord; pool: PoolRecord }> {
  const client = await findClient(deps, clientId);
  if (!client) throw errors.resourceNotFound(messages.clientNotFound(clientId));
  const pool = await findPool(deps, client.poolId);
  if (!pool) throw errors.resourceNotFound(messages.clientNotFound(clientId));
  return { client, pool };
}

/** The explicit auth flows a client allows, with Cognito's default when none were set. */
export function allowedFlows(client: ClientRecord): Set<string> {
  const flows = client.config.ExplicitAuthFlows;
  if (!flows || flows.length === 0) {
    return new Set(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']);
  }
  const out = new Set<string>(flows);
  // Legacy names map onto the ALLOW_ ones.
  if (out.has('ADMIN_NO_SRP_AUTH')) out.add('ALLOW_ADMIN_USER_PASSWORD_AUTH');
  if (out.has('USER_PASSWORD_AUTH')) out.add('ALLOW_USER_PASSWORD_AUTH');
  if (out.has('CUSTOM_AUTH_FLOW_ONLY')) out.add('ALLOW_CUSTOM_AUTH');
  // Legacy flow lists always allowed refresh and SRP.
  if (![...out].some((f) => f.startsWith('ALLOW_'))) {
    out.add('ALLOW_REFRESH_TOKEN_AUTH');
    out.add('ALLOW_USER_SRP_AUTH');
  }
  return out;
}

/** Token lifetimes in seconds, honouring TokenValidityUnits and Cognito's defaults. */
export function tokenValidity(client: ClientRecord): { access: number; id: number; refresh: number } {
  const units = client.config.TokenValidityUnits ?? {};
  const seconds = (value: number | undefined, unit: string | undefined, fallbackUnit: string, fallback: number) => {
    const v = value && value > 0 ? value : fallback;
    const u = value && value > 0 ? unit ?? fallbackUnit : fallbackUnit;
    const factor = u === 'seconds' ? 1 : u === 'minutes' ? 60 : u === 'hours' ? 3600 : 86400;
    return v * factor;
  };
  return {
    access: seconds(client.config.AccessTokenValidity, units.AccessToken, 'hours', 1),
    id: seconds(client.config.IdTokenValidity, units.IdToken, 'hours', 1),
    refresh: seconds(client.config.RefreshTokenValidity, units.RefreshToken, 'days', 30),
  };
}
