import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  type CognitoIdentityProviderClient,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { failure } from '../helpers/failure';

let t: TestPool;
let admin: CognitoIdentityProviderClient;
let poolId: string;

const people = [
  { username: 'adam', email: 'adam@example.com', given: 'Adam', family: 'Smith' },
  { username: 'alma', email: 'alma@example.org', given: 'Alma', family: 'Jones' },
  { username: 'bert', email: 'bert@example.com', given: 'Bert', family: 'Smith' },
  { username: 'cleo', email: 'cleo@example.com', given: 'Cleo', family: 'Young' },
  { username: 'dora', email: 'dora@example.net', given: 'Dora', family: 'Smithers' },
];

beforeAll(async () => {
  t = await startTestPool();
  admin = t.adminClient();
  poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'list' }))).UserPool!.Id!;
  for (const p of people) {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: p.username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: p.email },
          { Name: 'given_name', Value: p.given },
          { Name: 'family_name', Value: p.family },
        ],
      }),
    );
  }
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'bert', Password: 'Perm-Passw0rd!', Permanent: true }));
  await admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'cleo' }));
});
afterAll(async () => {
  await t.close();
});

const names = (users: UserType[] | undefined) => (users ?? []).map((u) => u.Username);
const list = (Filter?: string) => admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter }));

describe('ListUsers', () => {
  it('lists every user with attributes and status', async () => {
    const { Users } = await list();
    expect(names(Users)).toEqual(['adam', 'alma', 'bert', 'cleo', 'dora']);
    const bert = Users!.find((u) => u.Username === 'bert')!;
    expect(bert).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED' });
    expect(bert.Attributes!.find((a) => a.Name === 'email')?.Value).toBe('bert@example.com');
    expect(bert.UserCreateDate).toBeInstanceOf(Date);
  });

  it('filters with = and ^= on the searchable attributes', async () => {
    expect(names((await list('family_name = "Smith"')).Users)).toEqual(['adam', 'bert']);
    expect(names((await list('family_name ^= "Smith"')).Users)).toEqual(['adam', 'bert', 'dora']);
    expect(names((await list('email ^= "al"')).Users)).toEqual(['alma']);
    expect(names((await list('username = "dora"')).Users)).toEqual(['dora']);
    expect(names((await list('given_name ^= "A"')).Users)).toEqual(['adam', 'alma']);
    expect(names((await list('cognito:user_status = "CONFIRMED"')).Users)).toEqual(['bert']);
    expect(names((await list('status = "Disabled"')).Users)).toEqual(['cleo']);
    expect(names((await list('email = "nobody@example.com"')).Users)).toEqual([]);
    const { Users } = await list();
    const sub = Users![2]!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
    expect(names((await list(`sub = "${sub}"`)).Users)).toEqual([Users![2]!.Username]);
  });

  it('returns only AttributesToGet', async () => {
    const { Users } = await admin.send(new ListUsersCommand({ UserPoolId: poolId, AttributesToGet: ['email'], Filter: 'username = "adam"' }));
    expect(Users![0]!.Attributes).toEqual([{ Name: 'email', Value: 'adam@example.com' }]);
  });

  it('pages with Limit and PaginationToken, also under a filter', async () => {
    const first = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 2 }));
    expect(names(first.Users)).toEqual(['adam', 'alma']);
    const second = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 2, PaginationToken: first.PaginationToken }));
    expect(names(second.Users)).toEqual(['bert', 'cleo']);
    const third = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 2, PaginationToken: second.PaginationToken }));
    expect(names(third.Users)).toEqual(['dora']);
    expect(third.PaginationToken).toBeUndefined();

    const f1 = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 2, Filter: 'family_name ^= "Smith"' }));
    expect(names(f1.Users)).toEqual(['adam', 'bert']);
    const f2 = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 2, Filter: 'family_name ^= "Smith"', PaginationToken: f1.PaginationToken }));
    expect(names(f2.Users)).toEqual(['dora']);
    expect(f2.PaginationToken).toBeUndefined();
  });

  it('refuses bad filters, out-of-range limits and unknown pools', async () => {
    expect(await failure(list('email = unquoted'))).toEqual({ name: 'InvalidParameterException', message: 'Error while parsing filter.' });
    expect(await failure(list('custom:plan = "gold"'))).toEqual({ name: 'InvalidParameterException', message: 'Invalid search attribute: custom:plan' });
    expect((await failure(admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 61 })))).name).toBe('InvalidParameterException');
    expect(await failure(admin.send(new ListUsersCommand({ UserPoolId: 'us-east-1_nothere00' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nothere00 does not exist.',
    });
  });

  it('needs the admin signature', async () => {
    expect((await failure(t.publicClient().send(new ListUsersCommand({ UserPoolId: poolId })))).name).toBe('UnrecognizedClientException');
  });
});
