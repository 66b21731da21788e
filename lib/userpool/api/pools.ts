import type {
  CreateUserPoolRequest,
  CreateUserPoolResponse,
  DeleteUserPoolRequest,
  DescribeUserPoolRequest,
  DescribeUserPoolResponse,
  ListUserPoolsRequest,
  ListUserPoolsResponse,
  UpdateUserPoolRequest,
  UpdateUserPoolResponse,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type EngineDeps, type Handler } from '../context';
import { errors } from '../errors';
import { poolArn, poolNameForSrp, requirePool, type PoolRecord } from '../pools';
import { createPoolConfig, updatePoolConfig } from '../pool-defaults';
import { decodePageToken, encodePageToken, newPoolId } from '../ids';
import { forgetPoolKeys } from '../tokens';

async function estimatedUsers(deps: EngineDeps, poolId: string): Promise<number> {
  const row = await deps.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pool_id', '=', poolId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Factor settings kept in the pool document for SetUserPoolMfaConfig; not part of UserPoolType. */
const MFA_KEYS = new Set(['SoftwareTokenMfaConfiguration', 'SmsMfaConfiguration', 'EmailMfaConfiguration']);

async function describe(deps: EngineDeps, pool: PoolRecord): Promise<UserPoolType> {
  const visible = Object.fromEntries(Object.entries(pool.config).filter(([k]) => !MFA_KEYS.has(k))) as PoolRecord['config'];
  return {
    Id: pool.id,
    Name: pool.name,
    ...visible,
    EstimatedNumberOfUsers: await estimatedUsers(deps, pool.id),
    CreationDate: new Date(pool.createdAt),
    LastModifiedDate: new Date(pool.updatedAt),
    Arn: poolArn(deps, pool.id),
  };
}

const createUserPool = op<CreateUserPoolRequest, CreateUserPoolResponse>(async (input, { deps }) => {
  const config = createPoolConfig(input);
  const now = deps.clock.now();
  const pool: PoolRecord = {
    id: newPoolId(deps.region),
    name: input.PoolName!,
    srpName: '',
    config,
    createdAt: now,
    updatedAt: now,
  };
  pool.srpName = poolNameForSrp(pool.id);
  await deps.db
    .insertInto('pools')
    .values({ id: pool.id, name: pool.name, config: JSON.stringify(config), created_at: now, updated_at: now })
    .execute();
  return { UserPool: await describe(deps, pool) };
});

const describeUserPool = op<DescribeUserPoolRequest, DescribeUserPoolResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  return { UserPool: await describe(deps, pool) };
});

const updateUserPool = op<UpdateUserPoolRequest, UpdateUserPoolResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const config = updatePoolConfig(pool.config, input);
  await deps.db
    .updateTable('pools')
    .set({ name: input.PoolName ?? pool.name, config: JSON.stringify(config), updated_at: deps.clock.now() })
    .where('id', '=', pool.id)
    .execute();
  return {};
});

const listUserPools = op<ListUserPoolsRequest, ListUserPoolsResponse>(async (input, { deps }) => {
  const limit = input.MaxResults!;
  const after = decodePageToken(input.NextToken);
  let q = deps.db.selectFrom('pools').selectAll();
  if (after !== undefined) q = q.where('id', '>', after);
  const rows = await q.orderBy('id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return {
    UserPools: page.map((r) => {
      const config = JSON.parse(r.config) as PoolRecord['config'];
      return {
        Id: r.id,
        Name: r.name,
        LambdaConfig: config.LambdaConfig ?? {},
        CreationDate: new Date(Number(r.created_at)),
        LastModifiedDate: new Date(Number(r.updated_at)),
      };
    }),
    ...(rows.length > limit ? { NextToken: encodePageToken(page[page.length - 1]!.id) } : {}),
  };
});

/** Removes the pool and everything that belongs to it. */
export async function deletePoolEverywhere(deps: EngineDeps, poolId: string): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const families = tx.selectFrom('token_families').select('origin_jti').where('pool_id', '=', poolId);
    await tx.deleteFrom('refresh_tokens').where('origin_jti', 'in', families).execute();
    for (const table of [
      'token_families',
      'user_groups',
      'groups',
      'codes',
      'auth_sessions',
      'lockouts',
      'users',
      'resource_servers',
      'clients',
      'signing_keys',
      'outbox',
    ] as const) {
      await tx.deleteFrom(table).where('pool_id', '=', poolId).execute();
    }
    await tx.deleteFrom('pools').where('id', '=', poolId).execute();
  });
  forgetPoolKeys(deps, poolId);
}

const deleteUserPool = op<DeleteUserPoolRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  if (pool.config.DeletionProtection === 'ACTIVE') {
    throw errors.invalidParameter('The user pool cannot be deleted because deletion protection is activated.');
  }
  await deletePoolEverywhere(deps, pool.id);
  return {};
});

export const poolHandlers: Record<string, Handler> = {
  CreateUserPool: createUserPool,
  DescribeUserPool: describeUserPool,
  UpdateUserPool: updateUserPool,
  ListUserPools: listUserPools,
  DeleteUserPool: deleteUserPool,
};
