import type { ResourceServerScopeType, ResourceServerType } from '@aws-sdk/client-cognito-identity-provider';
import type { EngineDeps } from './context';

/** Resource servers define the custom scopes `<identifier>/<scope name>` app clients may be given. */
export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScopeType[];
}

export function toResourceServerType(rs: ResourceServerRecord): ResourceServerType {
  return { UserPoolId: rs.poolId, Identifier: rs.identifier, Name: rs.name, Scopes: rs.scopes };
}

export async function findResourceServer(deps: EngineDeps, poolId: string, identifier: string): Promise<ResourceServerRecord | undefined> {
  const row = await deps.db
    .selectFrom('resource_servers')
    .selectAll()
    .where('pool_id', '=', poolId)
    .where('identifier', '=', identifier)
    .executeTakeFirst();
  return row
    ? { poolId: row.pool_id, identifier: row.identifier, name: row.name, scopes: JSON.parse(row.scopes) as ResourceServerScopeType[] }
    : undefined;
}

/** Every custom scope of the pool, fully qualified. */
export async function customScopes(deps: EngineDeps, poolId: string): Promise<Set<string>> {
  const rows = await deps.db.selectFrom('resource_servers').select(['identifier', 'scopes']).where('pool_id', '=', poolId).execute();
  const out = new Set<string>();
  for (const r of rows) {
    for (const s of JSON.parse(r.scopes) as ResourceServerScopeType[]) out.add(`${r.identifier}/${s.ScopeName}`);
  }
  return out;
}
