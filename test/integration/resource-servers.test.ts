import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteResourceServerCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { failure } from '../helpers/failure';

let t: TestPool;
let admin: CognitoIdentityProviderClient;
let poolId: string;

beforeAll(async () => {
  t = await startTestPool();
  admin = t.adminClient();
  poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'rs' }))).UserPool!.Id!;
});
afterAll(async () => {
  await t.close();
});

const scopes = [
  { ScopeName: 'read', ScopeDescription: 'Read orders' },
  { ScopeName: 'write', ScopeDescription: 'Write orders' },
];

describe('resource servers', () => {
  it('creates, describes and lists a resource server', async () => {
    const { ResourceServer } = await admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders', Name: 'Orders API', Scopes: scopes }));
    expect(ResourceServer).toEqual({ UserPoolId: poolId, Identifier: 'orders', Name: 'Orders API', Scopes: scopes });
    const d = await admin.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders' }));
    expect(d.ResourceServer).toEqual(ResourceServer);

    await admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'billing', Name: 'Billing' }));
    const first = await admin.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 1 }));
    expect(first.ResourceServers!.map((r) => r.Identifier)).toEqual(['billing']);
    expect(first.ResourceServers![0]!.Scopes).toEqual([]);
    const second = await admin.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 1, NextToken: first.NextToken }));
    expect(second.ResourceServers!.map((r) => r.Identifier)).toEqual(['orders']);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses a duplicate identifier, duplicate scopes and unknown servers', async () => {
    expect(await failure(admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders', Name: 'again' })))).toEqual({
      name: 'InvalidParameterException',
      message: `orders already exists in pool ${poolId}.`,
    });
    expect(
      (await failure(admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'dup', Name: 'dup', Scopes: [scopes[0]!, scopes[0]!] }))))
        .name,
    ).toBe('InvalidParameterException');
    expect(await failure(admin.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Resource server nope does not exist.',
    });
    expect(await failure(admin.send(new ListResourceServersCommand({ UserPoolId: 'us-east-1_nothere00', MaxResults: 5 })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nothere00 does not exist.',
    });
  });

  it('updates scopes and takes removed ones off app clients; delete removes the rest', async () => {
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'uses-orders',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['orders/read', 'orders/write'],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;
    const { ResourceServer } = await admin.send(
      new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders', Name: 'Orders v2', Scopes: [scopes[0]!] }),
    );
    expect(ResourceServer).toEqual({ UserPoolId: poolId, Identifier: 'orders', Name: 'Orders v2', Scopes: [scopes[0]] });
    const client = async () => (await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;
    expect((await client()).AllowedOAuthScopes).toEqual(['orders/read']);

    await admin.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders' }));
    expect((await failure(admin.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders' })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await client()).AllowedOAuthScopes).toEqual([]);
    expect(await failure(admin.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Resource server orders does not exist.',
    });
  });

  it('needs the admin signature', async () => {
    expect((await failure(t.publicClient().send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 5 })))).name).toBe(
      'UnrecognizedClientException',
    );
  });
});
