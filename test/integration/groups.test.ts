import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { failure } from '../helpers/failure';

let t: TestPool;
let admin: CognitoIdentityProviderClient;
let poolId: string;
const ROLE = 'arn:aws:iam::123456789012:role/Editors';

beforeAll(async () => {
  t = await startTestPool();
  admin = t.adminClient();
  poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'groups' }))).UserPool!.Id!;
  for (const u of ['ann', 'ben', 'cat']) await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: u, MessageAction: 'SUPPRESS' }));
});
afterAll(async () => {
  await t.close();
});

describe('groups', () => {
  it('creates and reads a group', async () => {
    const { Group } = await admin.send(
      new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Description: 'Can edit', Precedence: 2, RoleArn: ROLE }),
    );
    expect(Group).toMatchObject({ GroupName: 'editors', UserPoolId: poolId, Description: 'Can edit', Precedence: 2, RoleArn: ROLE });
    expect(Group!.CreationDate).toBeInstanceOf(Date);
    expect((await admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))).Group).toEqual(Group);
  });

  it('refuses a duplicate group and answers unknown ones', async () => {
    expect(await failure(admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors' })))).toEqual({
      name: 'GroupExistsException',
      message: 'A group with the name already exists.',
    });
    expect(await failure(admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'ghosts' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Group not found.',
    });
    expect((await failure(admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'x', RoleArn: 'not-an-arn' })))).name).toBe(
      'InvalidParameterException',
    );
  });

  it('updates only the fields it is given', async () => {
    const { Group } = await admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Precedence: 0 }));
    expect(Group).toMatchObject({ Precedence: 0, Description: 'Can edit', RoleArn: ROLE });
  });

  it('lists groups with pagination', async () => {
    await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
    await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'viewers' }));
    const first = await admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2 }));
    expect(first.Groups!.map((g) => g.GroupName)).toEqual(['admins', 'editors']);
    const second = await admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: first.NextToken }));
    expect(second.Groups!.map((g) => g.GroupName)).toEqual(['viewers']);
    expect(second.NextToken).toBeUndefined();
  });

  it('adds and removes members and lists both ways', async () => {
    await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Username: 'ann' }));
    await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Username: 'ann' }));
    await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Username: 'ben' }));
    await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Username: 'ann' }));

    const groups = await admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ann' }));
    expect(groups.Groups!.map((g) => g.GroupName)).toEqual(['admins', 'editors']);
    const firstPage = await admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ann', Limit: 1 }));
    expect(firstPage.Groups!.map((g) => g.GroupName)).toEqual(['admins']);
    const secondPage = await admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ann', Limit: 1, NextToken: firstPage.NextToken }));
    expect(secondPage.Groups!.map((g) => g.GroupName)).toEqual(['editors']);

    const members = await admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }));
    expect(members.Users!.map((u) => u.Username)).toEqual(['ann', 'ben']);
    expect(members.Users![0]!.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const page = await admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Limit: 1 }));
    expect(page.Users!.map((u) => u.Username)).toEqual(['ann']);
    expect(page.NextToken).toBeDefined();

    await admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Username: 'ann' }));
    expect((await admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))).Users!.map((u) => u.Username)).toEqual(['ben']);
  });

  it('answers unknown users and groups in membership calls', async () => {
    expect(await failure(admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Username: 'nobody' })))).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    expect(await failure(admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'nope', Username: 'ann' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Group not found.',
    });
    expect((await failure(admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })))).name).toBe('ResourceNotFoundException');
  });

  it('drops memberships when a group or a user is deleted', async () => {
    await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'viewers', Username: 'cat' }));
    await admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'viewers' }));
    expect(await failure(admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'viewers' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Group not found.',
    });
    expect((await admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'cat' }))).Groups).toEqual([]);
    await admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'ben' }));
    expect((await admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))).Users).toEqual([]);
  });

  it('needs the admin signature', async () => {
    expect((await failure(t.publicClient().send(new ListGroupsCommand({ UserPoolId: poolId })))).name).toBe('UnrecognizedClientException');
  });
});
