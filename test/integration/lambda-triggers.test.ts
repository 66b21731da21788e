import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  CreateGroupCommand,
  CreateResourceServerCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { registerLambda } from '../../lib/userpool/triggers';
import { signSsoAssertion } from '../../lib/triggers/sso-claims';
import { ssoKeyFrom } from '../../lib/crypto/sso-key';
import { secretHash } from '../../lib/userpool/secret-hash';
import type { PreTokenGenerationV2Event } from '../../lib/triggers/pre-token';
import { PASSWORD, decodeJwt, expectError, makeClient, makePool, makeUser, srpSignIn } from './auth-fixtures';

/**
 * The Lambda triggers of lambda/ (bundled to plain JS by lambda/build.mjs, exactly what is deployed)
 * run as ordinary functions behind the embedded pool's trigger interface, with Cognito's event shapes:
 * the SSO assertion triggers for CUSTOM_AUTH and the Pre Token Generation V2 trigger that shapes scopes.
 */
type Handler = (event: any) => Promise<any>;

let t: TestPool;
let pub: CognitoIdentityProviderClient;
let admin: CognitoIdentityProviderClient;
let outDir: string;
let handlers: Record<'sso-define' | 'sso-create' | 'sso-verify' | 'pre-token', Handler>;
let poolId: string;
let clientId: string;
let secret: string;
let sub: string;
let ssoKey: Buffer;
const undo: Array<() => void> = [];
const seen: Record<string, any[]> = {};
const savedEnv = { ...process.env };

const USER = 'ada';
const ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}:live`;
const OAUTH = {
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code' as const],
  AllowedOAuthScopes: ['openid', 'email', 'profile', 'orders/read'],
  CallbackURLs: ['https://app.example/cb'],
  SupportedIdentityProviders: ['COGNITO'],
};
const LAMBDA_CONFIG: LambdaConfigType = {
  DefineAuthChallenge: ARN('acme-sso-define'),
  CreateAuthChallenge: ARN('acme-sso-create'),
  VerifyAuthChallengeResponse: ARN('acme-sso-verify'),
  PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: ARN('acme-pre-token') },
};

/** Registers a deployed handler under a function name, recording each event it receives. */
function deploy(name: string, handler: Handler): void {
  seen[name] = [];
  undo.push(
    registerLambda(name, async (event: any) => {
      seen[name]!.push(structuredClone(event));
      return handler(event);
    }),
  );
}

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-lambda-'));
  execFileSync(process.execPath, [path.resolve('lambda/build.mjs'), outDir], { stdio: 'pipe' });
  const load = async (name: string) => ((await import(pathToFileURL(path.join(outDir, name, 'index.mjs')).href)) as { handler: Handler }).handler;
  handlers = {
    'sso-define': await load('sso-define'),
    'sso-create': await load('sso-create'),
    'sso-verify': await load('sso-verify'),
    'pre-token': await load('pre-token'),
  };
  deploy('acme-sso-define', handlers['sso-define']);
  deploy('acme-sso-create', handlers['sso-create']);
  deploy('acme-sso-verify', handlers['sso-verify']);
  deploy('acme-pre-token', handlers['pre-token']);

  t = await startTestPool();
  pub = t.publicClient();
  admin = t.adminClient();
  ssoKey = ssoKeyFrom(t.secretKey);
  poolId = await makePool(t, { LambdaConfig: LAMBDA_CONFIG });
  await admin.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders', Name: 'Orders', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read orders' }] }));
  ({ clientId, secret } = (await makeClient(t, poolId, {
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ...OAUTH,
  })) as { clientId: string; secret: string });
  await makeUser(t, poolId, USER, { attributes: { email: 'ada@example.com', email_verified: 'true', given_name: 'Ada' } });
  const user = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: USER }));
  sub = user.UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
}, 60_000);

afterAll(async () => {
  for (const u of undo) u();
  process.env = savedEnv;
  await t?.close();
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

beforeEach(() => {
  // The deployed Lambdas read their configuration from the environment, as on AWS.
  process.env['PORTICO_SSO_KEY'] = ssoKey.toString('base64url');
  process.env['PORTICO_CLIENT_SCOPES'] = JSON.stringify({ [clientId]: OAUTH.AllowedOAuthScopes });
  for (const list of Object.values(seen)) list.length = 0;
});

const nowSeconds = () => Math.floor(t.clock.now() / 1000);
const hash = (username: string) => secretHash(secret, username, clientId);

async function ssoSignIn(token: (authTime: number) => Promise<string>, metadata: Record<string, string> = {}) {
  const authTime = nowSeconds() - 600;
  const md = { ...metadata, 'portico:auth_time': String(authTime) };
  const init = await pub.send(
    new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: clientId, AuthParameters: { USERNAME: USER, SECRET_HASH: hash(USER) }, ClientMetadata: md }),
  );
  expect(init.ChallengeName).toBe('CUSTOM_CHALLENGE');
  return pub.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: init.Session,
      ChallengeResponses: { USERNAME: USER, ANSWER: await token(authTime), SECRET_HASH: hash(USER) },
      ClientMetadata: md,
    }),
  );
}

const assertion = (key: Uint8Array, over: { sub?: string; username?: string } = {}) => (authTime: number) =>
  signSsoAssertion(key, { clientId, sub: over.sub ?? sub, username: over.username ?? USER, authTime, now: t.clock.now() });

describe('SSO assertion triggers (lambda/sso-*.ts) on CUSTOM_AUTH', () => {
  it('accepts an assertion signed with the shared key and issues tokens', async () => {
    const done = await ssoSignIn(assertion(ssoKey));
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(decodeJwt(done.AuthenticationResult!.IdToken!)['sub']).toBe(sub);

    // Cognito's event shapes, as the deployed functions received them.
    expect(seen['acme-sso-define']!.map((e) => e.request.session.length)).toEqual([0, 1]);
    const define = seen['acme-sso-define']![1];
    expect(define).toMatchObject({
      version: '1',
      triggerSource: 'DefineAuthChallenge_Authentication',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: USER,
      callerContext: { clientId },
      request: { session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'PORTICO_SSO' }], userNotFound: false },
    });
    const verify = seen['acme-sso-verify']![0];
    expect(verify.triggerSource).toBe('VerifyAuthChallengeResponse_Authentication');
    expect(verify.request.userAttributes['sub']).toBe(sub);
    expect(verify.request.clientMetadata['portico:auth_time']).toMatch(/^\d+$/);
    expect(verify.response).toEqual({});
  });

  it('refuses an assertion signed with another key, or naming another user', async () => {
    const forged = new Uint8Array(randomBytes(32));
    await expectError(ssoSignIn(assertion(forged)), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectError(ssoSignIn(assertion(ssoKey, { sub: 'someone-else' })), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectError(ssoSignIn(async () => 'not-a-jwt'), 'NotAuthorizedException', 'Incorrect username or password.');
    expect(seen['acme-sso-verify']!).toHaveLength(3);
  });

  it('fails the sign-in with Cognito’s Lambda error when the verify function has no key', async () => {
    delete process.env['PORTICO_SSO_KEY'];
    await expectError(
      ssoSignIn(assertion(ssoKey)),
      'UserLambdaValidationException',
      'VerifyAuthChallengeResponse failed with error PORTICO_SSO_KEY is not set.',
    );
  });
});

describe('Pre Token Generation V2 trigger (lambda/pre-token.ts)', () => {
  it('gives a sign-in answered with ClientMetadata portico:scope exactly those scopes', async () => {
    const done = await srpSignIn(pub, { poolId, clientId, username: USER, password: PASSWORD, secret, clientMetadata: { 'portico:scope': 'openid email orders/read' } });
    const access = decodeJwt(done.AuthenticationResult!.AccessToken!);
    const id = decodeJwt(done.AuthenticationResult!.IdToken!);
    expect(access['scope']).toBe('openid email orders/read');
    expect(id['email']).toBe('ada@example.com');
    expect(id['given_name']).toBeUndefined();
    expect(id['sub']).toBe(sub);

    const [event] = seen['acme-pre-token']!;
    expect(event).toMatchObject({
      version: '2',
      triggerSource: 'TokenGeneration_Authentication',
      userPoolId: poolId,
      userName: USER,
      callerContext: { clientId },
      request: {
        scopes: ['aws.cognito.signin.user.admin'],
        groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
        clientMetadata: { 'portico:scope': 'openid email orders/read' },
      },
      response: { claimsAndScopeOverrideDetails: null },
    });
    expect(event.request.userAttributes).toMatchObject({ sub, email: 'ada@example.com', 'cognito:user_status': 'CONFIRMED' });
  });

  it('grants a resource-server scope only when PORTICO_CLIENT_SCOPES lists it for the client', async () => {
    process.env['PORTICO_CLIENT_SCOPES'] = JSON.stringify({ [clientId]: ['openid', 'email'] });
    const done = await srpSignIn(pub, { poolId, clientId, username: USER, password: PASSWORD, secret, clientMetadata: { 'portico:scope': 'openid email orders/read' } });
    expect(decodeJwt(done.AuthenticationResult!.AccessToken!)['scope']).toBe('openid email');

    delete process.env['PORTICO_CLIENT_SCOPES'];
    const standard = await srpSignIn(pub, { poolId, clientId, username: USER, password: PASSWORD, secret, clientMetadata: { 'portico:scope': 'openid orders/read profile' } });
    expect(decodeJwt(standard.AuthenticationResult!.AccessToken!)['scope']).toBe('openid profile');
  });

  it('shapes the tokens of an SSO sign-in too', async () => {
    const done = await ssoSignIn(assertion(ssoKey), { 'portico:scope': 'openid profile' });
    expect(decodeJwt(done.AuthenticationResult!.AccessToken!)['scope']).toBe('openid profile');
    const id = decodeJwt(done.AuthenticationResult!.IdToken!);
    expect(id['given_name']).toBe('Ada');
    expect(id['email']).toBeUndefined();
  });

  it('sees no ClientMetadata when tokens come from InitiateAuth, as on Cognito', async () => {
    const done = await pub.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: USER, PASSWORD, SECRET_HASH: hash(USER) },
        ClientMetadata: { 'portico:scope': 'openid' },
      }),
    );
    expect(decodeJwt(done.AuthenticationResult!.AccessToken!)['scope']).toBe('aws.cognito.signin.user.admin');
    expect(seen['acme-pre-token']![0].request.clientMetadata).toBeUndefined();
  });

  it('runs on GetTokensFromRefreshToken with its ClientMetadata', async () => {
    const signedIn = await srpSignIn(pub, { poolId, clientId, username: USER, password: PASSWORD, secret });
    expect(decodeJwt(signedIn.AuthenticationResult!.AccessToken!)['scope']).toBe('aws.cognito.signin.user.admin');
    const refreshed = await pub.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: clientId,
        ClientSecret: secret,
        RefreshToken: signedIn.AuthenticationResult!.RefreshToken!,
        ClientMetadata: { 'portico:scope': 'openid email' },
      }),
    );
    expect(decodeJwt(refreshed.AuthenticationResult!.AccessToken!)['scope']).toBe('openid email');
    const last = seen['acme-pre-token']!.at(-1);
    expect(last.triggerSource).toBe('TokenGeneration_RefreshTokens');
    expect(last.request.clientMetadata).toEqual({ 'portico:scope': 'openid email' });
  });
});

describe('the engine’s Pre Token Generation V2 interface', () => {
  let pool: string;
  let client: string;
  let behaviour: Handler;

  beforeAll(async () => {
    undo.push(registerLambda('custom-claims', (event: any) => behaviour(event)));
    pool = await makePool(t, { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: ARN('custom-claims') } } });
    ({ clientId: client } = await makeClient(t, pool));
    await makeUser(t, pool, 'bob', { attributes: { email: 'bob@example.com', given_name: 'Bob' } });
    await admin.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'staff' }));
    await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: 'bob', GroupName: 'staff' }));
  });

  const signIn = () =>
    pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client, AuthParameters: { USERNAME: 'bob', PASSWORD } }));

  it('applies claims, scopes and group overrides to both tokens and ignores reserved claims', async () => {
    behaviour = async (event: PreTokenGenerationV2Event) => {
      expect(event.request.groupConfiguration.groupsToOverride).toEqual(['staff']);
      event.response.claimsAndScopeOverrideDetails = {
        idTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', sub: 'forged', plan: { tier: 2 } }, claimsToSuppress: ['given_name', 'aud'] },
        accessTokenGeneration: {
          claimsToAddOrOverride: { tenant: 'acme', client_id: 'forged', roles: ['a', 'b'] },
          scopesToAdd: ['orders/read'],
          scopesToSuppress: ['aws.cognito.signin.user.admin'],
        },
        groupOverrideDetails: { groupsToOverride: ['admins'] },
      };
      return event;
    };
    const done = await signIn();
    const id = decodeJwt(done.AuthenticationResult!.IdToken!);
    const access = decodeJwt(done.AuthenticationResult!.AccessToken!);
    expect(id).toMatchObject({ tenant: 'acme', plan: { tier: 2 }, aud: client, 'cognito:groups': ['admins'], email: 'bob@example.com' });
    expect(id['sub']).not.toBe('forged');
    expect(id['given_name']).toBeUndefined();
    expect(access).toMatchObject({ tenant: 'acme', roles: ['a', 'b'], client_id: client, scope: 'orders/read', 'cognito:groups': ['admins'] });
  });

  it('maps a throw to UserLambdaValidationException and a malformed answer to InvalidLambdaResponseException', async () => {
    behaviour = async () => {
      throw new Error('boom');
    };
    await expectError(signIn(), 'UserLambdaValidationException', 'PreTokenGeneration failed with error boom.');
    behaviour = async (event) => ({ ...event, response: { claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToAdd: ['two words'] } } } });
    await expectError(signIn(), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
    behaviour = async (event) => ({ ...event, response: { claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToSuppress: 'given_name' } } } });
    await expectError(signIn(), 'InvalidLambdaResponseException', 'Unrecognizable lambda output');
  });

  it('runs Portico’s own trigger under the built-in name portico-pre-token with the engine’s trigger environment', async () => {
    const own = await makePool(t, { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: ARN('portico-pre-token') } } });
    const { clientId: ownClient, secret: ownSecret } = await makeClient(t, own, { GenerateSecret: true, ...OAUTH, AllowedOAuthScopes: ['openid', 'email'] });
    await makeUser(t, own, 'cy', { attributes: { email: 'cy@example.com', given_name: 'Cy' } });
    const done = await srpSignIn(pub, { poolId: own, clientId: ownClient, username: 'cy', password: PASSWORD, secret: ownSecret, clientMetadata: { 'portico:scope': 'openid email' } });
    expect(decodeJwt(done.AuthenticationResult!.AccessToken!)['scope']).toBe('openid email');
    expect(decodeJwt(done.AuthenticationResult!.IdToken!)['given_name']).toBeUndefined();
  });

  it('leaves a pool whose trigger cannot run here (another ARN, or V1_0) on the built-in scope handling', async () => {
    const other = await makePool(t, { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: ARN('somewhere-on-aws') } } });
    const { clientId: otherClient } = await makeClient(t, other, { ...OAUTH, AllowedOAuthScopes: ['openid', 'email'] });
    await makeUser(t, other, 'dee', { attributes: { email: 'dee@example.com' } });
    const done = await pub.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: otherClient,
        AuthParameters: { USERNAME: 'dee', PASSWORD },
        ClientMetadata: { 'portico:scope': 'openid email' },
      }),
    );
    expect(decodeJwt(done.AuthenticationResult!.AccessToken!)['scope']).toBe('openid email');
    await admin.send(new UpdateUserPoolCommand({ UserPoolId: other, LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V1_0', LambdaArn: ARN('custom-claims') } } }));
    behaviour = async () => {
      throw new Error('must not run');
    };
    const v1 = await pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: otherClient, AuthParameters: { USERNAME: 'dee', PASSWORD } }));
    expect(decodeJwt(v1.AuthenticationResult!.AccessToken!)['scope']).toBe('aws.cognito.signin.user.admin');
  });
});
