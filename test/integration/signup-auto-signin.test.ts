import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import {
  AdminGetUserCommand,
  type ExplicitAuthFlowsType,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, expectError, makeClient, makePool } from './auth-fixtures';
import { lastCode, passwordSignIn, wrongCode } from '../helpers/self-service';
import { secretHash } from '../../lib/userpool/secret-hash';

/**
 * Amplify-style auto sign-in: SignUp → ConfirmSignUp{Session} → InitiateAuth USER_AUTH{Session}
 * (reference §3.3, §3.6), through the real AWS SDK against the pool's HTTP server.
 */
let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let otherClientId: string;
let noUserAuthClientId: string;
let secretClient: { clientId: string; secret?: string };

const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'];
const SES = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com', From: 'no-reply@example.com' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t, { AutoVerifiedAttributes: ['email'], AliasAttributes: ['email'] });
  ({ clientId } = await makeClient(t, poolId, { ExplicitAuthFlows: FLOWS }));
  ({ clientId: otherClientId } = await makeClient(t, poolId, { ExplicitAuthFlows: FLOWS }));
  ({ clientId: noUserAuthClientId } = await makeClient(t, poolId));
  secretClient = await makeClient(t, poolId, { ExplicitAuthFlows: FLOWS, GenerateSecret: true });
});
afterAll(async () => t?.close());

const signUp = (username: string, id = clientId, secret?: string) =>
  pub.send(
    new SignUpCommand({
      ClientId: id,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      ...(secret ? { SecretHash: secretHash(secret, username, id) } : {}),
    }),
  );
const confirm = async (username: string, session: string | undefined, id = clientId, secret?: string) =>
  pub.send(
    new ConfirmSignUpCommand({
      ClientId: id,
      Username: username,
      ConfirmationCode: await lastCode(t, `${username}@example.com`),
      Session: session,
      ...(secret ? { SecretHash: secretHash(secret, username, id) } : {}),
    }),
  );
const userAuth = (username: string, session: string | undefined, id = clientId, extra: { secret?: string; clientMetadata?: Record<string, string> } = {}) =>
  pub.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: id,
      AuthParameters: { USERNAME: username, ...(extra.secret ? { SECRET_HASH: secretHash(extra.secret, username, id) } : {}) },
      Session: session,
      ClientMetadata: extra.clientMetadata,
    }),
  );

async function confirmedSession(username: string): Promise<{ session: string; sub: string }> {
  const up = await signUp(username);
  const out = await confirm(username, up.Session);
  expect(out.Session).toBeDefined();
  return { session: out.Session!, sub: up.UserSub! };
}

describe('ALLOW_USER_AUTH on app clients', () => {
  it('is accepted by Create/UpdateUserPoolClient and shown back', async () => {
    const { clientId: id } = await makeClient(t, poolId, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    const admin = t.adminClient();
    await admin.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: id, ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH'] }));
    const out = await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: id }));
    expect(out.UserPoolClient?.ExplicitAuthFlows).toEqual(['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });
});

describe('SignUp → ConfirmSignUp → InitiateAuth USER_AUTH', () => {
  it('signs the new user in without a password, with the right claims', async () => {
    const up = await signUp('ada');
    expect(up.Session).toMatch(/^[A-Za-z0-9_-]{20,2048}$/);
    const confirmed = await confirm('ada', up.Session);
    expect(confirmed.Session).toMatch(/^[A-Za-z0-9_-]{20,2048}$/);
    expect(confirmed.Session).not.toBe(up.Session);
    const out = await userAuth('ada', confirmed.Session, clientId, { clientMetadata: { nonce: 'n-123' } });
    expect(out.ChallengeName).toBeUndefined();
    const result = out.AuthenticationResult!;
    expect(result.RefreshToken).toBeDefined();
    const id = decodeJwt(result.IdToken!);
    expect(id).toMatchObject({
      sub: up.UserSub,
      'cognito:username': 'ada',
      email: 'ada@example.com',
      email_verified: true,
      aud: clientId,
      token_use: 'id',
      iss: `${t.url}/${poolId}`,
      nonce: 'n-123',
    });
    const access = decodeJwt(result.AccessToken!);
    expect(access).toMatchObject({ sub: up.UserSub, client_id: clientId, token_use: 'access', username: 'ada' });
    expect(Math.abs(Number(id['auth_time']) - Math.floor(t.clock.now() / 1000))).toBeLessThan(5);
  });

  it('takes the alias as USERNAME too', async () => {
    const { session, sub } = await confirmedSession('bea');
    const out = await userAuth('bea@example.com', session);
    expect(decodeJwt(out.AuthenticationResult!.IdToken!).sub).toBe(sub);
  });

  it('shapes OAuth scopes from portico:scope like other sign-ins', async () => {
    const { clientId: id } = await makeClient(t, poolId, {
      ExplicitAuthFlows: FLOWS,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: ['https://app.example.com/callback'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    const up = await signUp('cid', id);
    const confirmed = await confirm('cid', up.Session, id);
    const out = await userAuth('cid', confirmed.Session, id, { clientMetadata: { 'portico:scope': 'openid email phone' } });
    const access = decodeJwt(out.AuthenticationResult!.AccessToken!);
    expect(access.scope).toBe('openid email');
    expect(decodeJwt(out.AuthenticationResult!.IdToken!)['email']).toBe('cid@example.com');
  });

  it('works for a client with a secret (SECRET_HASH on every call)', async () => {
    const { clientId: id, secret } = secretClient;
    const up = await signUp('dot', id, secret);
    const confirmed = await confirm('dot', up.Session, id, secret);
    await expectError(userAuth('dot', confirmed.Session, id), 'NotAuthorizedException', /SECRET_HASH/);
    const out = await userAuth('dot', confirmed.Session, id, { secret });
    expect(out.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it('gives a Session that is single use', async () => {
    const { session } = await confirmedSession('eve');
    await userAuth('eve', session);
    await expectError(userAuth('eve', session), 'NotAuthorizedException', 'Invalid session for the user.');
  });

  it('gives a Session that expires after about three minutes', async () => {
    const { session } = await confirmedSession('fay');
    t.clock.advance(3 * MINUTE + 1000);
    await expectError(userAuth('fay', session), 'NotAuthorizedException', 'Invalid session for the user, session is expired.');
  });

  it('binds the Session to its user and client', async () => {
    const { session } = await confirmedSession('gus');
    await signUp('hal');
    await confirm('hal', undefined);
    await expectError(userAuth('hal', session), 'NotAuthorizedException', 'Invalid session for the user.');
    const again = await confirmedSession('ike');
    await expectError(userAuth('ike', again.session, otherClientId), 'NotAuthorizedException', 'Invalid session for the user.');
  });

  it('does not accept SignUp\'s own Session for USER_AUTH (the code must be confirmed first)', async () => {
    const up = await signUp('jon');
    await expectError(userAuth('jon', up.Session), 'NotAuthorizedException', 'Invalid session for the user.');
  });

  it('keeps SignUp\'s Session through a wrong code and a resend window, for 24 hours', async () => {
    const up = await signUp('kim');
    const code = await lastCode(t, 'kim@example.com');
    await expectError(
      pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'kim', ConfirmationCode: wrongCode(code), Session: up.Session })),
      'CodeMismatchException',
    );
    t.clock.advance(23 * HOUR);
    const out = await confirm('kim', up.Session);
    expect(out.Session).toBeDefined();
    expect((await userAuth('kim', out.Session)).AuthenticationResult).toBeDefined();
  });

  it('confirms by code but returns no Session when SignUp\'s Session is missing, foreign, expired or reused', async () => {
    await signUp('lee');
    expect((await confirm('lee', undefined)).Session).toBeUndefined();

    const mia = await signUp('mia');
    await signUp('ned');
    expect((await confirm('ned', mia.Session)).Session).toBeUndefined();
    // Mia's Session was not used up by Ned's attempt.
    expect((await confirm('mia', mia.Session)).Session).toBeDefined();

    await signUp('oli');
    expect((await confirm('oli', 'x'.repeat(40))).Session).toBeUndefined();
    const user = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'oli' }));
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it('binds SignUp\'s Session to its client', async () => {
    const up = await signUp('pat');
    expect((await confirm('pat', up.Session, otherClientId)).Session).toBeUndefined();
  });

  it('leaves the password and the lockout as they were', async () => {
    const { session } = await confirmedSession('quin');
    await userAuth('quin', session);
    const tokens = await passwordSignIn(pub, clientId, 'quin', PASSWORD);
    expect(tokens.AccessToken).toBeDefined();
  });
});

describe('without ALLOW_USER_AUTH', () => {
  it('returns no Session from SignUp or ConfirmSignUp', async () => {
    const up = await signUp('ray', noUserAuthClientId);
    expect(up.Session).toBeUndefined();
    const out = await confirm('ray', undefined, noUserAuthClientId);
    expect(out.Session).toBeUndefined();
  });

  it('refuses USER_AUTH as a flow the client does not allow', async () => {
    await expectError(userAuth('ray', 'y'.repeat(40), noUserAuthClientId), 'InvalidParameterException', 'USER_AUTH flow not enabled for this client');
  });
});

describe('USER_AUTH without a Session', () => {
  it('stays unsupported (choice-based passwordless sign-in is not implemented)', async () => {
    await expectError(userAuth('ada', undefined), 'UnsupportedOperationException', 'USER_AUTH is not supported by this user pool.');
  });
});

describe('when the pool requires MFA', () => {
  it('answers USER_AUTH with the MFA challenge instead of tokens', async () => {
    const mfaPool = await makePool(t, { AutoVerifiedAttributes: ['email'], EmailConfiguration: SES });
    await t.adminClient().send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: mfaPool,
        MfaConfiguration: 'ON',
        EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' },
      }),
    );
    const { clientId: id } = await makeClient(t, mfaPool, { ExplicitAuthFlows: FLOWS });
    const up = await signUp('sue', id);
    const confirmed = await confirm('sue', up.Session, id);
    const out = await userAuth('sue', confirmed.Session, id);
    expect(out.AuthenticationResult).toBeUndefined();
    // A new user has no second factor yet: Cognito asks to set one up.
    expect(out.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(out.ChallengeParameters!['MFAS_CAN_SETUP']!)).toContain('EMAIL_OTP');
    expect(out.Session).toBeDefined();
  });
});
