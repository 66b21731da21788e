import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';

let t: TestPool;
let admin: CognitoIdentityProviderClient;
let poolId: string;

beforeAll(async () => {
  t = await startTestPool();
  admin = t.adminClient();
  const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'clients' }));
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

describe('CreateUserPoolClient / DescribeUserPoolClient', () => {
  it('creates a public client with Cognito defaults', async () => {
    const { UserPoolClient: c } = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }));
    expect(c!.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(c!.ClientSecret).toBeUndefined();
    expect(c).toMatchObject({
      UserPoolId: poolId,
      ClientName: 'web',
      RefreshTokenValidity: 30,
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'LEGACY',
      EnableTokenRevocation: true,
      AuthSessionValidity: 3,
    });
    const d = await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId }));
    expect(d.UserPoolClient).toEqual(c);
  });

  it('generates a 51-character secret and returns it on Describe', async () => {
    const { UserPoolClient: c } = await admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'server', GenerateSecret: true }),
    );
    expect(c!.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    const d = await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId }));
    expect(d.UserPoolClient!.ClientSecret).toBe(c!.ClientSecret);
    const row = await t.db.selectFrom('clients').select('secret_enc').where('client_id', '=', c!.ClientId!).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(c!.ClientSecret!);
  });

  it('answers an unknown client', async () => {
    expect(await failure(admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'abcdefghijklmnopqrstuvwxyz' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool client abcdefghijklmnopqrstuvwxyz does not exist.',
    });
  });
});
