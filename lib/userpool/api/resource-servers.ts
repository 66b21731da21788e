import type {
  CreateResourceServerRequest,
  CreateResourceServerResponse,
  DeleteResourceServerRequest,
  DescribeResourceServerRequest,
  DescribeResourceServerResponse,
  ListResourceServersRequest,
  ListResourceServersResponse,
  ResourceServerScopeType,
  UpdateResourceServerRequest,
  UpdateResourceServerResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type EngineDeps, type Handler } from '../context';
import { errors } from '../errors';
import { requirePool } from '../pools';
import type { ClientConfig } from '../clients';
import { findResourceServer, toResourceServerType, type ResourceServerRecord } from '../resource-servers';
import { decodePageToken, encodePageToken } from '../ids';

/** Cognito's quota: 25 resource servers per pool. */
const MAX_RESOURCE_SERVERS = 25;

function checkScopes(scopes: ResourceServerScopeType[] | undefined): ResourceServerScopeType[] {
  const list = scopes ?? [];
  const names = new Set<string>();
  for (const s of list) {
    if (names.has(s.ScopeName!)) throw errors.invalidParameter(`Duplicate scope name ${s.ScopeName} in the request.`);
    names.add(s.ScopeName!);
  }
  return list.map((s) => ({ ScopeName: s.ScopeName, ScopeDescription: s.ScopeDescription }));
}

async function requireResourceServer(deps: EngineDeps, poolId: string, identifier: string): Promise<ResourceServerRecord> {
  const rs = await findResourceServer(deps, poolId, identifier);
  if (!rs) throw errors.resourceNotFound(`Resource server ${identifier} does not exist.`);
  return rs;
}

/** Scopes that no longer exist are taken off the pool's app clients, as Cognito does. */
async function pruneClientScopes(deps: EngineDeps, poolId: string, identifier: string, keep: Set<string>): Promise<void> {
  const rows = await deps.db.selectFrom('clients').select(['client_id', 'config']).where('pool_id', '=', poolId).execute();
  for (const row of rows) {
    const config = JSON.parse(row.config) as ClientConfig;
    const scopes = config.AllowedOAuthScopes ?? [];
    const kept = scopes.filter((s) => !s.startsWith(`${identifier}/`) || keep.has(s.slice(identifier.length + 1)));
    if (kept.length === scopes.length) continue;
    config.AllowedOAuthScopes = kept;
    await deps.db.updateTable('clients').set({ config: JSON.stringify(config) }).where('client_id', '=', row.client_id).execute();
  }
}

const createResourceServer = op<CreateResourceServerRequest, CreateResourceServerResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const scopes = checkScopes(input.Scopes);
  if (await findResourceServer(deps, pool.id, input.Identifier!)) {
    throw errors.invalidParameter(`${input.Identifier} already exists in pool ${pool.id}.`);
  }
  const count = await deps.db
    .selectFrom('resource_servers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pool_id', '=', pool.id)
    .executeTakeFirst();
  if (Number(count?.n ?? 0) >= MAX_RESOURCE_SERVERS) {
    throw errors.limitExceeded(`A user pool can have at most ${MAX_RESOURCE_SERVERS} resource servers.`);
  }
  const rs: ResourceServerRecord = { poolId: pool.id, identifier: input.Identifier!, name: input.Name!, scopes };
  await deps.db
    .insertInto('resource_servers')
    .values({ pool_id: pool.id, identifier: rs.identifier, name: rs.name, scopes: JSON.stringify(scopes) })
    .execute();
  return { ResourceServer: toResourceServerType(rs) };
});

const describeResourceServer = op<DescribeResourceServerRequest, DescribeResourceServerResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  return { ResourceServer: toResourceServerType(await requireResourceServer(deps, pool.id, input.Identifier!)) };
});

const updateResourceServer = op<UpdateResourceServerRequest, UpdateResourceServerResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const existing = await requireResourceServer(deps, pool.id, input.Identifier!);
  const scopes = checkScopes(input.Scopes);
  const rs: ResourceServerRecord = { ...existing, name: input.Name!, scopes };
  await deps.db
    .updateTable('resource_servers')
    .set({ name: rs.name, scopes: JSON.stringify(scopes) })
    .where('pool_id', '=', pool.id)
    .where('identifier', '=', rs.identifier)
    .execute();
  await pruneClientScopes(deps, pool.id, rs.identifier, new Set(scopes.map((s) => s.ScopeName!)));
  return { ResourceServer: toResourceServerType(rs) };
});

const listResourceServers = op<ListResourceServersRequest, ListResourceServersResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const limit = input.MaxResults ?? 50;
  const after = decodePageToken(input.NextToken);
  let q = deps.db.selectFrom('resource_servers').selectAll().where('pool_id', '=', pool.id);
  if (after !== undefined) q = q.where('identifier', '>', after);
  const rows = await q.orderBy('identifier').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return {
    ResourceServers: page.map((r) =>
      toResourceServerType({ poolId: r.pool_id, identifier: r.identifier, name: r.name, scopes: JSON.parse(r.scopes) as ResourceServerScopeType[] }),
    ),
    ...(rows.length > limit ? { NextToken: encodePageToken(page[page.length - 1]!.identifier) } : {}),
  };
});

const deleteResourceServer = op<DeleteResourceServerRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const rs = await requireResourceServer(deps, pool.id, input.Identifier!);
  await deps.db.deleteFrom('resource_servers').where('pool_id', '=', pool.id).where('identifier', '=', rs.identifier).execute();
  await pruneClientScopes(deps, pool.id, rs.identifier, new Set());
  return {};
});

export const resourceServerHandlers: Record<string, Handler> = {
  CreateResourceServer: createResourceServer,
  DescribeResourceServer: describeResourceServer,
  UpdateResourceServer: updateResourceServer,
  ListResourceServers: listResourceServers,
  DeleteResourceServer: deleteResourceServer,
};
