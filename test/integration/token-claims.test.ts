import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { failure } from '../helpers/failure';
import { jwks } from '../../lib/userpool/tokens';

let t: TestPool;
let admin: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let keys: JWTVerifyGetKey;

const EDITOR = 'arn:aws:iam::123456789012:role/Editor';
const VIEWER = 'arn:aws:iam::123456789012:role/Viewer';
const OTHER = 'arn:aws:iam::123456789012:role/Other';
const PASSWORD = 'Perm-Passw0rd!';

async function makeUser(username: string, groups: string[]): Promise<void> {
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'given_name', Value: username },
        { Name: 'custom:tier', Value: '3' },
      ],
    }),
  );
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  for (const g of groups) await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: g }));
}

async function signIn(username: string) {
  const out = await admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  expect(out.ChallengeName).toBeUndefined();
  return out.AuthenticationResult!;
}

beforeAll(async () => {
  t = await startTestPool();
  admin = t.adminClient();
  poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'claims', Schema: [{ Name: 'tier', AttributeDataType: 'Number' }] }))).UserPool!.Id!;
  clientId = (
    await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 15,
        IdTokenValidity: 20,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      }),
    )
  ).UserPoolClient!.ClientId!;
  await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Precedence: 1, RoleArn: EDITOR }));
  await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'viewers', Precedence: 5, RoleArn: VIEWER }));
  await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'others', Precedence: 1, RoleArn: OTHER }));
  await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'plain' }));
  await makeUser('ida', ['viewers', 'editors', 'plain']);
  await makeUser('tie', ['editors', 'others']);
  await makeUser('solo', []);
  keys = createLocalJWKSet((await jwks(t.engine.deps, poolId)) as Parameters<typeof createLocalJWKSet>[0]);
});
afterAll(async () => {
  await t.close();
});

describe('token claims', () => {
  it('issues an ID token for the client with the user, attributes, groups and preferred role', async () => {
    const result = await signIn('ida');
    expect(result.TokenType).toBe('Bearer');
    expect(result.ExpiresIn).toBe(15 * 60);
    const { payload, protectedHeader } = await jwtVerify(result.IdToken!, keys, { issuer: `${t.url}/${poolId}`, audience: clientId });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.token_use).toBe('id');
    expect(payload['cognito:username']).toBe('ida');
    expect(payload.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.email).toBe('ida@example.com');
    expect(payload.email_verified).toBe(true);
    expect(payload['custom:tier']).toBe('3');
    expect(payload.exp! - payload.iat!).toBe(20 * 60);
    expect(payload.iat!).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
    expect([...(payload['cognito:groups'] as string[])].sort()).toEqual(['editors', 'plain', 'viewers']);
    expect([...(payload['cognito:roles'] as string[])].sort()).toEqual([EDITOR, VIEWER]);
    expect(payload['cognito:preferred_role']).toBe(EDITOR);
  });

  it('issues an access token with client_id, scope, username and groups, and no aud', async () => {
    const result = await signIn('ida');
    const { payload, protectedHeader } = await jwtVerify(result.AccessToken!, keys, { issuer: `${t.url}/${poolId}` });
    const idHeader = (await jwtVerify(result.IdToken!, keys)).protectedHeader;
    expect(protectedHeader.kid).not.toBe(idHeader.kid);
    expect(payload.token_use).toBe('access');
    expect(payload.client_id).toBe(clientId);
    expect(payload.aud).toBeUndefined();
    expect(payload.scope).toBe('aws.cognito.signin.user.admin');
    expect(payload.username).toBe('ida');
    expect(payload.exp! - payload.iat!).toBe(15 * 60);
    expect([...(payload['cognito:groups'] as string[])].sort()).toEqual(['editors', 'plain', 'viewers']);
    expect(payload['cognito:preferred_role']).toBeUndefined();
  });

  it('leaves out the preferred role on a precedence tie between different roles, and group claims for no groups', async () => {
    const tie = await jwtVerify((await signIn('tie')).IdToken!, keys);
    expect([...(tie.payload['cognito:roles'] as string[])].sort()).toEqual([EDITOR, OTHER]);
    expect(tie.payload['cognito:preferred_role']).toBeUndefined();
    const solo = await jwtVerify((await signIn('solo')).IdToken!, keys);
    expect(solo.payload['cognito:groups']).toBeUndefined();
    expect(solo.payload['cognito:roles']).toBeUndefined();
  });

  it('does not verify against another pool', async () => {
    const otherPool = (await admin.send(new CreateUserPoolCommand({ PoolName: 'else' }))).UserPool!.Id!;
    const otherKeys = createLocalJWKSet((await jwks(t.engine.deps, otherPool)) as Parameters<typeof createLocalJWKSet>[0]);
    const { IdToken } = await signIn('solo');
    await expect(jwtVerify(IdToken!, otherKeys)).rejects.toThrow();
  });
});

describe('admin operations that end sessions', () => {
  it('AdminUserGlobalSignOut revokes the access and refresh tokens', async () => {
    const result = await signIn('solo');
    const pub = t.publicClient();
    expect((await pub.send(new GetUserCommand({ AccessToken: result.AccessToken }))).Username).toBe('solo');
    await admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'solo' }));
    expect(await failure(pub.send(new GetUserCommand({ AccessToken: result.AccessToken })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    expect(
      (
        await failure(
          pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: result.RefreshToken! } })),
        )
      ).name,
    ).toBe('NotAuthorizedException');
  });

  it('AdminDisableUser revokes tokens and blocks sign-in', async () => {
    const result = await signIn('tie');
    await admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'tie' }));
    expect((await failure(t.publicClient().send(new GetUserCommand({ AccessToken: result.AccessToken })))).name).toBe('NotAuthorizedException');
    expect(
      await failure(
        admin.send(
          new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'tie', PASSWORD } }),
        ),
      ),
    ).toEqual({ name: 'NotAuthorizedException', message: 'User is disabled.' });
  });
});
