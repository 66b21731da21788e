import type {
  AdminAddUserToGroupRequest,
  AdminListGroupsForUserRequest,
  AdminListGroupsForUserResponse,
  AdminRemoveUserFromGroupRequest,
  CreateGroupRequest,
  CreateGroupResponse,
  DeleteGroupRequest,
  GetGroupRequest,
  GetGroupResponse,
  GroupType,
  ListGroupsRequest,
  ListGroupsResponse,
  ListUsersInGroupRequest,
  ListUsersInGroupResponse,
  UpdateGroupRequest,
  UpdateGroupResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type EngineDeps, type Handler } from '../context';
import { errors } from '../errors';
import { requirePool, type PoolRecord } from '../pools';
import { requireUser, toUserType, findUserByUsername } from '../users';
import type { GroupsTable } from '../../db/schema';
import { decodePageToken, encodePageToken } from '../ids';

/** Limit 0 (or none) means Cognito's page size of 60. */
const pageSize = (limit: number | undefined) => (limit && limit > 0 ? limit : 60);

function toGroupType(row: GroupsTable): GroupType {
  return {
    GroupName: row.group_name,
    UserPoolId: row.pool_id,
    ...(row.description !== null ? { Description: row.description } : {}),
    ...(row.role_arn !== null ? { RoleArn: row.role_arn } : {}),
    ...(row.precedence !== null ? { Precedence: Number(row.precedence) } : {}),
    LastModifiedDate: new Date(Number(row.updated_at)),
    CreationDate: new Date(Number(row.created_at)),
  };
}

async function findGroup(deps: EngineDeps, poolId: string, name: string): Promise<GroupsTable | undefined> {
  return deps.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).where('group_name', '=', name).executeTakeFirst();
}

async function requireGroup(deps: EngineDeps, pool: PoolRecord, name: string): Promise<GroupsTable> {
  const group = await findGroup(deps, pool.id, name);
  if (!group) throw errors.resourceNotFound('Group not found.');
  return group;
}

const createGroup = op<CreateGroupRequest, CreateGroupResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const now = deps.clock.now();
  const row: GroupsTable = {
    pool_id: pool.id,
    group_name: input.GroupName!,
    description: input.Description ?? null,
    precedence: input.Precedence ?? null,
    role_arn: input.RoleArn ?? null,
    created_at: now,
    updated_at: now,
  };
  if (await findGroup(deps, pool.id, row.group_name)) throw errors.groupExists('A group with the name already exists.');
  try {
    await deps.db.insertInto('groups').values(row).execute();
  } catch (e) {
    if (/unique|duplicate|constraint/i.test(String(e))) throw errors.groupExists('A group with the name already exists.');
    throw e;
  }
  return { Group: toGroupType(row) };
});

const getGroup = op<GetGroupRequest, GetGroupResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  return { Group: toGroupType(await requireGroup(deps, pool, input.GroupName!)) };
});

/** UpdateGroup changes only the fields it is given. */
const updateGroup = op<UpdateGroupRequest, UpdateGroupResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const group = await requireGroup(deps, pool, input.GroupName!);
  const row: GroupsTable = {
    ...group,
    description: input.Description !== undefined ? input.Description : group.description,
    precedence: input.Precedence !== undefined ? input.Precedence : group.precedence,
    role_arn: input.RoleArn !== undefined ? input.RoleArn : group.role_arn,
    updated_at: deps.clock.now(),
  };
  await deps.db
    .updateTable('groups')
    .set({ description: row.description, precedence: row.precedence, role_arn: row.role_arn, updated_at: row.updated_at })
    .where('pool_id', '=', pool.id)
    .where('group_name', '=', group.group_name)
    .execute();
  return { Group: toGroupType(row) };
});

const listGroups = op<ListGroupsRequest, ListGroupsResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const limit = pageSize(input.Limit);
  const after = decodePageToken(input.NextToken);
  let q = deps.db.selectFrom('groups').selectAll().where('pool_id', '=', pool.id);
  if (after !== undefined) q = q.where('group_name', '>', after);
  const rows = await q.orderBy('group_name').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return {
    Groups: page.map(toGroupType),
    ...(rows.length > limit ? { NextToken: encodePageToken(page[page.length - 1]!.group_name) } : {}),
  };
});

const deleteGroup = op<DeleteGroupRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const group = await requireGroup(deps, pool, input.GroupName!);
  await deps.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('user_groups').where('pool_id', '=', pool.id).where('group_name', '=', group.group_name).execute();
    await tx.deleteFrom('groups').where('pool_id', '=', pool.id).where('group_name', '=', group.group_name).execute();
  });
  return {};
});

const adminAddUserToGroup = op<AdminAddUserToGroupRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  const group = await requireGroup(deps, pool, input.GroupName!);
  const existing = await deps.db
    .selectFrom('user_groups')
    .select('group_name')
    .where('pool_id', '=', pool.id)
    .where('group_name', '=', group.group_name)
    .where('username_key', '=', user.usernameKey)
    .executeTakeFirst();
  // Adding a member twice is not an error in Cognito.
  if (!existing) {
    await deps.db.insertInto('user_groups').values({ pool_id: pool.id, group_name: group.group_name, username_key: user.usernameKey }).execute();
  }
  return {};
});

const adminRemoveUserFromGroup = op<AdminRemoveUserFromGroupRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  const group = await requireGroup(deps, pool, input.GroupName!);
  await deps.db
    .deleteFrom('user_groups')
    .where('pool_id', '=', pool.id)
    .where('group_name', '=', group.group_name)
    .where('username_key', '=', user.usernameKey)
    .execute();
  return {};
});

const adminListGroupsForUser = op<AdminListGroupsForUserRequest, AdminListGroupsForUserResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  const limit = pageSize(input.Limit);
  const after = decodePageToken(input.NextToken);
  let q = deps.db
    .selectFrom('groups')
    .innerJoin('user_groups', (j) => j.onRef('user_groups.pool_id', '=', 'groups.pool_id').onRef('user_groups.group_name', '=', 'groups.group_name'))
    .selectAll('groups')
    .where('groups.pool_id', '=', pool.id)
    .where('user_groups.username_key', '=', user.usernameKey);
  if (after !== undefined) q = q.where('groups.group_name', '>', after);
  const rows = await q.orderBy('groups.group_name').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return {
    Groups: page.map(toGroupType),
    ...(rows.length > limit ? { NextToken: encodePageToken(page[page.length - 1]!.group_name) } : {}),
  };
});

const listUsersInGroup = op<ListUsersInGroupRequest, ListUsersInGroupResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const group = await requireGroup(deps, pool, input.GroupName!);
  const limit = pageSize(input.Limit);
  const after = decodePageToken(input.NextToken);
  let q = deps.db
    .selectFrom('user_groups')
    .select('username_key')
    .where('pool_id', '=', pool.id)
    .where('group_name', '=', group.group_name);
  if (after !== undefined) q = q.where('username_key', '>', after);
  const rows = await q.orderBy('username_key').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const users = [];
  for (const r of page) {
    const user = await findUserByUsername(deps, pool, r.username_key);
    if (user) users.push(toUserType(user));
  }
  return {
    Users: users,
    ...(rows.length > limit ? { NextToken: encodePageToken(page[page.length - 1]!.username_key) } : {}),
  };
});

export const groupHandlers: Record<string, Handler> = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  UpdateGroup: updateGroup,
  ListGroups: listGroups,
  DeleteGroup: deleteGroup,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  ListUsersInGroup: listUsersInGroup,
};
