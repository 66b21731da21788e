import type {
  CreateUserPoolClientRequest,
  CreateUserPoolClientResponse,
  DeleteUserPoolClientRequest,
  DescribeUserPoolClientRequest,
  DescribeUserPoolClientResponse,
  ListUserPoolClientsRequest,
  ListUserPoolClientsResponse,
  UpdateUserPoolClientRequest,
  UpdateUserPoolClientResponse,
  UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type EngineDeps, type Handler } from '../context';
import { errors, messages } from '../errors';
import { requirePool, type PoolRecord } from '../pools';
import { findClient, sealClientSecret, type ClientRecord } from '../clients';
import { buildClientConfig } from '../client-settings';
import { customScopes } from '../resource-servers';
import { decodePageToken, encodePageToken, newClientId, newClientSecret } from '../ids';

function toClientType(client: ClientRecord): UserPoolClientType {
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.clientId,
    ...(client.secret ? { ClientSecret: client.secret } : {}),
    ...client.config,
    CreationDate: new Date(client.createdAt),
    LastModifiedDate: new Date(client.updatedAt),
  };
}

/** The client of this pool, or Cognito's "User pool client … does not exist." */
async function requirePoolClient(deps: EngineDeps, pool: PoolRecord, clientId: string): Promise<ClientRecord> {
  const client = await findClient(deps, clientId);
  if (!client || client.poolId !== pool.id) throw errors.resourceNotFound(messages.clientNotFound(clientId));
  return client;
}

function settingsOf(input: CreateUserPoolClientRequest | UpdateUserPoolClientRequest) {
  const { UserPoolId: _pool, ClientName: _name, ...rest } = input;
  const settings = { ...rest } as Record<string, unknown>;
  delete settings['ClientId'];
  delete settings['GenerateSecret'];
  delete settings['ClientSecret'];
  return settings as Parameters<typeof buildClientConfig>[1];
}

const createUserPoolClient = op<CreateUserPoolClientRequest, CreateUserPoolClientResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const secret = input.ClientSecret ?? (input.GenerateSecret ? newClientSecret() : undefined);
  const config = buildClientConfig(pool, settingsOf(input), {
    hasSecret: secret !== undefined,
    scopes: await customScopes(deps, pool.id),
    creating: true,
  });
  const now = deps.clock.now();
  // Ids are random; retry the (astronomically unlikely) collision instead of assuming it away.
  for (let attempt = 0; ; attempt++) {
    const client: ClientRecord = { clientId: newClientId(), poolId: pool.id, name: input.ClientName!, secret, config, createdAt: now, updatedAt: now };
    try {
      await deps.db
        .insertInto('clients')
        .values({
          client_id: client.clientId,
          pool_id: pool.id,
          client_name: client.name,
          secret_enc: secret ? sealClientSecret(deps, secret) : null,
          config: JSON.stringify(config),
          created_at: now,
          updated_at: now,
        })
        .execute();
      return { UserPoolClient: toClientType(client) };
    } catch (e) {
      if (attempt >= 2 || !/unique|duplicate|constraint/i.test(String(e))) throw e;
    }
  }
});

const describeUserPoolClient = op<DescribeUserPoolClientRequest, DescribeUserPoolClientResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  return { UserPoolClient: toClientType(await requirePoolClient(deps, pool, input.ClientId!)) };
});

const updateUserPoolClient = op<UpdateUserPoolClientRequest, UpdateUserPoolClientResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const client = await requirePoolClient(deps, pool, input.ClientId!);
  const config = buildClientConfig(pool, settingsOf(input), {
    hasSecret: client.secret !== undefined,
    scopes: await customScopes(deps, pool.id),
    creating: false,
  });
  const updated: ClientRecord = { ...client, name: input.ClientName ?? client.name, config, updatedAt: deps.clock.now() };
  await deps.db
    .updateTable('clients')
    .set({ client_name: updated.name, config: JSON.stringify(config), updated_at: updated.updatedAt })
    .where('client_id', '=', client.clientId)
    .execute();
  return { UserPoolClient: toClientType(updated) };
});

const listUserPoolClients = op<ListUserPoolClientsRequest, ListUserPoolClientsResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const limit = input.MaxResults ?? 60;
  const after = decodePageToken(input.NextToken);
  let q = deps.db.selectFrom('clients').select(['client_id', 'client_name']).where('pool_id', '=', pool.id);
  if (after !== undefined) q = q.where('client_id', '>', after);
  const rows = await q.orderBy('client_id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return {
    UserPoolClients: page.map((r) => ({ ClientId: r.client_id, UserPoolId: pool.id, ClientName: r.client_name })),
    ...(rows.length > limit ? { NextToken: encodePageToken(page[page.length - 1]!.client_id) } : {}),
  };
});

const deleteUserPoolClient = op<DeleteUserPoolClientRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const client = await requirePoolClient(deps, pool, input.ClientId!);
  await deps.db.transaction().execute(async (tx) => {
    const families = tx.selectFrom('token_families').select('origin_jti').where('client_id', '=', client.clientId);
    await tx.deleteFrom('refresh_tokens').where('origin_jti', 'in', families).execute();
    await tx.deleteFrom('token_families').where('client_id', '=', client.clientId).execute();
    await tx.deleteFrom('auth_sessions').where('client_id', '=', client.clientId).execute();
    await tx.deleteFrom('clients').where('client_id', '=', client.clientId).execute();
  });
  return {};
});

export const clientHandlers: Record<string, Handler> = {
  CreateUserPoolClient: createUserPoolClient,
  DescribeUserPoolClient: describeUserPoolClient,
  UpdateUserPoolClient: updateUserPoolClient,
  ListUserPoolClients: listUserPoolClients,
  DeleteUserPoolClient: deleteUserPoolClient,
};
