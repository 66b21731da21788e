import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';

let t: TestPool;
let admin: CognitoIdentityProviderClient;
let poolId: string;

beforeAll(async () => {
  t = await startTestPool();
  admin = t.adminClient();
  const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'users' }));
  poolId = UserPool!.Id!;
});
afterAll(async () => {
  await t.close();
});

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error;
    return { name: err.name, message: err.message };
  }
  throw new Error('expected the call to fail');
}

const attr = (list: { Name?: string; Value?: string }[] | undefined, name: string) => list?.find((a) => a.Name === name)?.Value;

describe('AdminCreateUser / AdminGetUser / AdminSetUserPassword', () => {
  it('creates a FORCE_CHANGE_PASSWORD user and reads it back', async () => {
    const { User } = await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'alice',
        TemporaryPassword: 'Temp-Passw0rd!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(User).toMatchObject({ Username: 'alice', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(attr(User!.Attributes, 'sub')).toMatch(/^[0-9a-f-]{36}$/);
    const got = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
    expect(got.Username).toBe('alice');
    expect(got.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(attr(got.UserAttributes, 'email')).toBe('alice@example.com');
    expect(got.UserCreateDate).toBeInstanceOf(Date);
  });

  it('refuses a duplicate username', async () => {
    expect(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS' })))).toEqual({
      name: 'UsernameExistsException',
      message: 'User account already exists',
    });
  });

  it('enforces the password policy on the temporary password and on AdminSetUserPassword', async () => {
    expect(
      await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bob', TemporaryPassword: 'short', MessageAction: 'SUPPRESS' }))),
    ).toEqual({ name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password not long enough' });
    expect(
      await failure(admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: 'longenough1!', Permanent: true }))),
    ).toEqual({ name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password must have uppercase characters' });
  });

  it('sets a permanent password (CONFIRMED) and a temporary one (FORCE_CHANGE_PASSWORD)', async () => {
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: 'Perm-Passw0rd!', Permanent: true }));
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }))).UserStatus).toBe('CONFIRMED');
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: 'Temp-Passw0rd2!', Permanent: false }));
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }))).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('answers unknown users and pools', async () => {
    expect(await failure(admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nobody' })))).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    expect(await failure(admin.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_missing01', Username: 'alice' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_missing01 does not exist.',
    });
  });
});
