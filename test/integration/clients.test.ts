import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
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
  const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'clients' }));
  poolId = UserPool!.Id!;
});
afterAll(async () => {
  await t.close();
});

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

describe('client settings over the wire', () => {
  const oauth = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code' as const],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: ['https://app.example.com/callback', 'http://localhost:3000/cb'],
    LogoutURLs: ['https://app.example.com/'],
    DefaultRedirectURI: 'https://app.example.com/callback',
    SupportedIdentityProviders: ['COGNITO'],
  };

  it('stores an OAuth client as given', async () => {
    const { UserPoolClient: c } = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'oauth',
        ...oauth,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 30,
        IdTokenValidity: 30,
        RefreshTokenValidity: 7,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: false,
        AuthSessionValidity: 5,
        ReadAttributes: ['email', 'email_verified'],
        WriteAttributes: ['email'],
      }),
    );
    expect(c).toMatchObject({
      ...oauth,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 30,
      RefreshTokenValidity: 7,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: false,
      AuthSessionValidity: 5,
      ReadAttributes: ['email', 'email_verified'],
    });
  });

  it('refuses bad redirect URLs, flows, scopes, validities and identity providers', async () => {
    const create = (extra: Record<string, unknown>) =>
      failure(admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bad', ...extra })));
    expect(await create({ ...oauth, CallbackURLs: ['http://app.example.com/cb'], DefaultRedirectURI: undefined })).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid CallbackURLs: http://app.example.com/cb must use HTTPS unless it points at localhost.',
    });
    expect((await create({ ...oauth, LogoutURLs: ['https://app.example.com/#frag'] })).name).toBe('InvalidParameterException');
    expect(await create({ ...oauth, DefaultRedirectURI: 'https://elsewhere.example.com/' })).toEqual({
      name: 'InvalidParameterException',
      message: 'DefaultRedirectURI must be one of the CallbackURLs.',
    });
    expect(await create({ ...oauth, AllowedOAuthScopes: ['openid', 'orders/read'] })).toEqual({
      name: 'ScopeDoesNotExistException',
      message: 'Invalid scope requested: orders/read',
    });
    expect(await create({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['openid'] })).toEqual({
      name: 'InvalidOAuthFlowException',
      message: 'client_credentials flow can not be selected if client does not have a client secret.',
    });
    expect(
      (await create({ GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials', 'code'], AllowedOAuthScopes: ['openid'] }))
        .name,
    ).toBe('InvalidOAuthFlowException');
    expect((await create({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'] })).name).toBe('InvalidParameterException');
    expect(await create({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } })).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid range for token validity: AccessTokenValidity must be between 5 minutes and 1 day.',
    });
    expect(await create({ SupportedIdentityProviders: ['Google'] })).toEqual({
      name: 'InvalidParameterException',
      message: `The provider Google does not exist for User Pool ${poolId}`,
    });
    expect((await create({ AuthSessionValidity: 16 })).name).toBe('InvalidParameterException');
  });

  it('accepts custom scopes of an existing resource server for a client_credentials client', async () => {
    await admin.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'https://api.example.com',
        Name: 'api',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'read things' }],
      }),
    );
    const { UserPoolClient: c } = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'm2m',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['https://api.example.com/read'],
      }),
    );
    expect(c!.AllowedOAuthScopes).toEqual(['https://api.example.com/read']);
  });
});

describe('UpdateUserPoolClient / ListUserPoolClients / DeleteUserPoolClient', () => {
  it('resets settings the update leaves out and keeps id, name and secret', async () => {
    const { UserPoolClient: c } = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'upd',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        CallbackURLs: ['https://app.example.com/cb'],
        PreventUserExistenceErrors: 'ENABLED',
        AuthSessionValidity: 10,
      }),
    );
    const { UserPoolClient: u } = await admin.send(
      new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId, LogoutURLs: ['https://app.example.com/bye'] }),
    );
    expect(u!.ClientName).toBe('upd');
    expect(u!.ClientSecret).toBe(c!.ClientSecret);
    expect(u!.LogoutURLs).toEqual(['https://app.example.com/bye']);
    expect(u!.ExplicitAuthFlows).toBeUndefined();
    expect(u!.CallbackURLs).toBeUndefined();
    expect(u!.PreventUserExistenceErrors).toBe('LEGACY');
    expect(u!.AuthSessionValidity).toBe(3);
    const d = await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId }));
    expect(d.UserPoolClient).toEqual(u);
    expect(await failure(admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'zzzzzzzzzzzzzzzzzzzzzzzzzz' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool client zzzzzzzzzzzzzzzzzzzzzzzzzz does not exist.',
    });
  });

  it('lists clients page by page and deletes one', async () => {
    const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'listing' }));
    const id = UserPool!.Id!;
    const made: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      made.push((await admin.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: name }))).UserPoolClient!.ClientId!);
    }
    const first = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: id, MaxResults: 2 }));
    expect(first.UserPoolClients).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const second = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: id, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.UserPoolClients).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const all = [...first.UserPoolClients!, ...second.UserPoolClients!];
    expect(all.map((c) => c.ClientId).sort()).toEqual([...made].sort());
    expect(all.every((c) => c.UserPoolId === id && typeof c.ClientName === 'string')).toBe(true);

    await admin.send(new DeleteUserPoolClientCommand({ UserPoolId: id, ClientId: made[0] }));
    expect((await failure(admin.send(new DescribeUserPoolClientCommand({ UserPoolId: id, ClientId: made[0] })))).name).toBe(
      'ResourceNotFoundException',
    );
    const rest = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: id }));
    expect(rest.UserPoolClients!.map((c) => c.ClientId).sort()).toEqual(made.slice(1).sort());
  });

  it('does not show a client through another pool', async () => {
    const other = (await admin.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    const mine = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'mine' }))).UserPoolClient!.ClientId!;
    expect(await failure(admin.send(new DescribeUserPoolClientCommand({ UserPoolId: other, ClientId: mine })))).toEqual({
      name: 'ResourceNotFoundException',
      message: `User pool client ${mine} does not exist.`,
    });
  });

  it('refuses unsigned or wrongly signed management calls', async () => {
    expect(await failure(t.publicClient().send(new ListUserPoolClientsCommand({ UserPoolId: poolId })))).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const wrongSecret = t.adminClient({ credentials: { accessKeyId: t.admin.keyId, secretAccessKey: 'wrong-secret' } });
    expect((await failure(wrongSecret.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'abc' })))).name).toBe(
      'InvalidSignatureException',
    );
    const stale = t.adminClient({ systemClockOffset: -15 * 60_000 });
    expect((await failure(stale.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'late' })))).name).toBe(
      'InvalidSignatureException',
    );
  });
});
