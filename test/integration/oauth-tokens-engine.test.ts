import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import {
  AdminInitiateAuthCommand,
  CreateResourceServerCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  UpdateUserAttributesCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { failure } from '../helpers/failure';
import { jwks } from '../../lib/userpool/tokens';
import { bigFromHex, claimSignature, clientEphemeral, clientKey, computeX, srpTimestamp, toHex } from '../../lib/crypto/srp-math';
import { secretHash } from '../../lib/userpool/secret-hash';
import { makeClient, makePool, makeUser, PASSWORD, srpSignIn } from './auth-fixtures';

/**
 * OAuth-shaped tokens (issue 3, decision 1): ClientMetadata['portico:scope'] makes the pool issue what
 * Cognito's token endpoint would — scopes kept to the client's, `version: 2`, ID-token attributes by
 * scope (reference §1.3), `at_hash`, and a family that keeps its shape through refresh.
 */
let t: TestPool;
let admin: CognitoIdentityProviderClient;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let secret: string;
let keys: JWTVerifyGetKey;

const USER = 'ada';
const ATTRIBUTES = {
  email: 'ada@example.com',
  email_verified: 'true',
  phone_number: '+15555550100',
  phone_number_verified: 'false',
  given_name: 'Ada',
  family_name: 'Lovelace',
  address: '12 St James Square',
  'custom:tier': 'gold',
};

beforeAll(async () => {
  t = await startTestPool();
  admin = t.adminClient();
  pub = t.publicClient();
  poolId = await makePool(t, { Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }] });
  await admin.send(
    new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example', Name: 'api', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] }),
  );
  const made = await makeClient(t, poolId, {
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin', 'https://api.example/read'],
    CallbackURLs: ['https://app.example/cb'],
    SupportedIdentityProviders: ['COGNITO'],
  });
  clientId = made.clientId;
  secret = made.secret!;
  await makeUser(t, poolId, USER, { attributes: ATTRIBUTES });
  keys = createLocalJWKSet((await jwks(t.engine.deps, poolId)) as Parameters<typeof createLocalJWKSet>[0]);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function signIn(metadata?: Record<string, string>): Promise<AuthenticationResultType> {
  const out = await admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: USER, PASSWORD, SECRET_HASH: secretHash(secret, USER, clientId) },
      ClientMetadata: metadata,
    }),
  );
  expect(out.ChallengeName).toBeUndefined();
  return out.AuthenticationResult!;
}

async function verify(token: string): Promise<JWTPayload> {
  return (await jwtVerify(token, keys, { issuer: `${t.url}/${poolId}`, currentDate: new Date(t.clock.now()) })).payload;
}

const leftHalfHash = (token: string) => createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');

describe('scope-shaped tokens', () => {
  it('without portico:scope the tokens are the API tokens of before', async () => {
    const result = await signIn({ nonce: 'n-1' });
    const access = await verify(result.AccessToken!);
    const id = await verify(result.IdToken!);
    expect(access['scope']).toBe('aws.cognito.signin.user.admin');
    expect(access['version']).toBeUndefined();
    expect(id['at_hash']).toBeUndefined();
    expect(id['nonce']).toBe('n-1');
    expect(id['address']).toBe(ATTRIBUTES.address);
    expect(id['phone_number']).toBe(ATTRIBUTES.phone_number);
  });

  it('openid alone: every readable attribute, at_hash, version 2 and the scope string', async () => {
    const result = await signIn({ 'portico:scope': 'openid', nonce: 'n-2' });
    const access = await verify(result.AccessToken!);
    const id = await verify(result.IdToken!);
    expect(access['scope']).toBe('openid');
    expect(access['version']).toBe(2);
    expect(id['at_hash']).toBe(leftHalfHash(result.AccessToken!));
    expect(id['nonce']).toBe('n-2');
    expect(id['email']).toBe(ATTRIBUTES.email);
    expect(id['email_verified']).toBe(true);
    expect(id['phone_number']).toBe(ATTRIBUTES.phone_number);
    expect(id['phone_number_verified']).toBe(false);
    expect(id['address']).toBe(ATTRIBUTES.address);
    expect(id['custom:tier']).toBe('gold');
  });

  it('openid email: only sub, email and email_verified besides the non-attribute claims', async () => {
    const result = await signIn({ 'portico:scope': 'openid email' });
    const id = await verify(result.IdToken!);
    expect(id['sub']).toEqual(expect.any(String));
    expect(id['email']).toBe(ATTRIBUTES.email);
    expect(id['email_verified']).toBe(true);
    for (const absent of ['phone_number', 'phone_number_verified', 'given_name', 'family_name', 'address', 'custom:tier']) {
      expect(id[absent], absent).toBeUndefined();
    }
    for (const present of ['cognito:username', 'aud', 'iss', 'token_use', 'auth_time', 'origin_jti', 'event_id', 'jti', 'iat', 'exp', 'at_hash']) {
      expect(id[present], present).toBeDefined();
    }
  });

  it('openid phone profile: phone and profile attributes with custom ones, no email or address', async () => {
    const result = await signIn({ 'portico:scope': 'openid phone profile' });
    const id = await verify(result.IdToken!);
    expect(id['phone_number']).toBe(ATTRIBUTES.phone_number);
    expect(id['phone_number_verified']).toBe(false);
    expect(id['given_name']).toBe('Ada');
    expect(id['family_name']).toBe('Lovelace');
    expect(id['custom:tier']).toBe('gold');
    expect(id['email']).toBeUndefined();
    expect(id['address']).toBeUndefined();
  });

  it('aws.cognito.signin.user.admin and resource-server scopes do not change the claims', async () => {
    const result = await signIn({ 'portico:scope': 'openid aws.cognito.signin.user.admin https://api.example/read' });
    const access = await verify(result.AccessToken!);
    const id = await verify(result.IdToken!);
    expect(access['scope']).toBe('openid aws.cognito.signin.user.admin https://api.example/read');
    expect(id['address']).toBe(ATTRIBUTES.address);
    expect(id['email']).toBe(ATTRIBUTES.email);
  });

  it('drops scopes the client may not have, silently', async () => {
    const result = await signIn({ 'portico:scope': 'openid email https://api.example/write made-up openid' });
    const access = await verify(result.AccessToken!);
    expect(access['scope']).toBe('openid email');
  });

  it('without openid there is no ID token', async () => {
    const result = await signIn({ 'portico:scope': 'https://api.example/read' });
    expect(result.IdToken).toBeUndefined();
    const access = await verify(result.AccessToken!);
    expect(access['scope']).toBe('https://api.example/read');
    expect(access['version']).toBe(2);
    expect(result.RefreshToken).toEqual(expect.any(String));
  });

  it('shapes SRP sign-ins too, with the scope given at InitiateAuth only', async () => {
    const out = await srpSignIn(pub, { poolId, clientId, username: USER, password: PASSWORD, secret });
    expect((await verify(out.AuthenticationResult!.AccessToken!))['scope']).toBe('aws.cognito.signin.user.admin');
    const shaped = await srpSignInWithInitMetadata({ 'portico:scope': 'openid email', nonce: 'srp-nonce' });
    const id = await verify(shaped.IdToken!);
    expect((await verify(shaped.AccessToken!))['scope']).toBe('openid email');
    expect(id['nonce']).toBe('srp-nonce');
    expect(id['phone_number']).toBeUndefined();
  });
});

/** SRP where only InitiateAuth names the scope: the session carries it to the tokens. */
async function srpSignInWithInitMetadata(metadata: Record<string, string>): Promise<AuthenticationResultType> {
  const { a, A } = clientEphemeral();
  const init = await pub.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: USER, SRP_A: toHex(A), SECRET_HASH: secretHash(secret, USER, clientId) },
      ClientMetadata: metadata,
    }),
  );
  const p = init.ChallengeParameters!;
  const poolName = poolId.split('_')[1]!;
  const x = computeX(p['SALT']!, poolName, p['USER_ID_FOR_SRP']!, PASSWORD);
  const key = clientKey(a, A, bigFromHex(p['SRP_B']!), x);
  const timestamp = srpTimestamp(new Date(t.clock.now()));
  const out = await pub.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: init.Session,
      ChallengeResponses: {
        USERNAME: p['USER_ID_FOR_SRP']!,
        PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!,
        PASSWORD_CLAIM_SIGNATURE: claimSignature(key, poolName, p['USER_ID_FOR_SRP']!, p['SECRET_BLOCK']!, timestamp),
        TIMESTAMP: timestamp,
        SECRET_HASH: secretHash(secret, p['USER_ID_FOR_SRP']!, clientId),
      },
    }),
  );
  return out.AuthenticationResult!;
}

describe('refresh keeps the shape', () => {
  it('REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken re-issue with the same scopes, no nonce, same auth_time', async () => {
    const first = await signIn({ 'portico:scope': 'openid email', nonce: 'n-3' });
    const firstId = await verify(first.IdToken!);
    t.clock.advance(90_000);

    const viaInitiate = await pub.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken!, SECRET_HASH: secretHash(secret, USER, clientId) },
      }),
    );
    const viaGetTokens = await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, ClientSecret: secret, RefreshToken: first.RefreshToken! }));

    for (const result of [viaInitiate.AuthenticationResult!, viaGetTokens.AuthenticationResult!]) {
      const access = await verify(result.AccessToken!);
      const id = await verify(result.IdToken!);
      expect(access['scope']).toBe('openid email');
      expect(access['version']).toBe(2);
      expect(access['auth_time']).toBe(firstId['auth_time']);
      expect(id['auth_time']).toBe(firstId['auth_time']);
      expect(id['iat']).toBeGreaterThan(firstId['iat'] as number);
      expect(id['nonce']).toBeUndefined();
      expect(id['at_hash']).toBe(leftHalfHash(result.AccessToken!));
      expect(id['email']).toBe(ATTRIBUTES.email);
      expect(id['phone_number']).toBeUndefined();
      expect(id['origin_jti']).toBe(firstId['origin_jti']);
    }
  });

  it('a family without openid refreshes without an ID token; an API family stays an API family', async () => {
    const noOpenId = await signIn({ 'portico:scope': 'https://api.example/read' });
    const refreshed = await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, ClientSecret: secret, RefreshToken: noOpenId.RefreshToken! }));
    expect(refreshed.AuthenticationResult!.IdToken).toBeUndefined();
    expect((await verify(refreshed.AuthenticationResult!.AccessToken!))['scope']).toBe('https://api.example/read');

    const api = await signIn();
    const again = await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, ClientSecret: secret, RefreshToken: api.RefreshToken! }));
    const access = await verify(again.AuthenticationResult!.AccessToken!);
    expect(access['scope']).toBe('aws.cognito.signin.user.admin');
    expect(access['version']).toBeUndefined();
    expect((await verify(again.AuthenticationResult!.IdToken!))['at_hash']).toBeUndefined();
  });
});

describe('GetUser with OAuth access tokens (Portico deviation)', () => {
  it('an openid-scoped token reads the profile its scopes select', async () => {
    const { AccessToken } = await signIn({ 'portico:scope': 'openid email' });
    const out = await pub.send(new GetUserCommand({ AccessToken }));
    expect(out.Username).toBe(USER);
    const attrs = Object.fromEntries(out.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attrs).toEqual({ sub: expect.any(String), email: ATTRIBUTES.email, email_verified: 'true' });
  });

  it('openid alone reads every readable attribute; with aws.cognito.signin.user.admin GetUser is unshaped', async () => {
    const alone = await pub.send(new GetUserCommand({ AccessToken: (await signIn({ 'portico:scope': 'openid' })).AccessToken }));
    const withAdmin = await pub.send(
      new GetUserCommand({ AccessToken: (await signIn({ 'portico:scope': 'openid email aws.cognito.signin.user.admin' })).AccessToken }),
    );
    for (const out of [alone, withAdmin]) {
      const attrs = Object.fromEntries(out.UserAttributes!.map((a) => [a.Name, a.Value]));
      expect(attrs['address']).toBe(ATTRIBUTES.address);
      expect(attrs['phone_number']).toBe(ATTRIBUTES.phone_number);
    }
  });

  it('every other token-holder operation still demands aws.cognito.signin.user.admin', async () => {
    const { AccessToken } = await signIn({ 'portico:scope': 'openid email profile' });
    expect(await failure(pub.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'given_name', Value: 'Eve' }] })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
  });

  it('a token without openid or the admin scope is refused by GetUser too', async () => {
    const { AccessToken } = await signIn({ 'portico:scope': 'https://api.example/read' });
    expect(await failure(pub.send(new GetUserCommand({ AccessToken })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
  });
});
