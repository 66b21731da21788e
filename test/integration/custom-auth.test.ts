import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { failure } from '../helpers/failure';
import { listOutbox } from '../../lib/userpool/outbox';
import { secretHash } from '../../lib/userpool/secret-hash';
import { registerLambda } from '../../lib/userpool/triggers';
import { signSsoAssertion } from '../../lib/triggers/sso-claims';
import { ssoKeyFrom } from '../../lib/crypto/sso-key';
import type {
  CreateAuthChallengeEvent,
  DefineAuthChallengeEvent,
  VerifyAuthChallengeResponseEvent,
} from '../../lib/triggers/events';
import { bigFromHex, claimSignature, clientEphemeral, clientKey, computeX, srpTimestamp, toHex } from '../../lib/crypto/srp-math';
import { PASSWORD, decodeJwt, makeClient, makePool, makeUser, srpSignIn } from './auth-fixtures';

/**
 * CUSTOM_AUTH through the SDK: Portico's SSO triggers as the default (assertion → tokens with the
 * asserted auth_time; every bad assertion → "Incorrect username or password."; single-use Sessions),
 * trigger resolution from LambdaConfig, and Cognito's event shapes and error mapping with in-process
 * triggers registered under other function names.
 */
let t: TestPool;
let pub: CognitoIdentityProviderClient;
let admin: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let secret: string;
let ssoKey: Buffer;
let sub: string;

const USER = 'grace';
const ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const OAUTH = {
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code' as const],
  AllowedOAuthScopes: ['openid', 'email', 'profile'],
  CallbackURLs: ['https://app.example/cb'],
  SupportedIdentityProviders: ['COGNITO'],
};
const FLOWS = ['ALLOW_USER_SRP_AUTH' as const, 'ALLOW_CUSTOM_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const];

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  admin = t.adminClient();
  ssoKey = ssoKeyFrom(t.secretKey);
  poolId = await makePool(t);
  ({ clientId, secret } = (await makeClient(t, poolId, { GenerateSecret: true, ExplicitAuthFlows: FLOWS, ...OAUTH })) as { clientId: string; secret: string });
  await makeUser(t, poolId, USER, { attributes: { email: 'grace@example.com', email_verified: 'true', given_name: 'Grace' } });
  sub = await subOf(poolId, USER);
}, 60_000);
afterAll(async () => t?.close());

async function subOf(pool: string, username: string): Promise<string> {
  const out = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }));
  return out.UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
}

const nowSeconds = () => Math.floor(t.clock.now() / 1000);
const hash = (username: string, id = clientId, s = secret) => secretHash(s, username, id);

function start(options: { username?: string; id?: string; secret?: string; metadata?: Record<string, string>; extra?: Record<string, string> } = {}) {
  const username = options.username ?? USER;
  const id = options.id ?? clientId;
  return pub.send(
    new InitiateAuthCommand({
      AuthFlow: 'CUSTOM_AUTH',
      ClientId: id,
      AuthParameters: { USERNAME: username, ...(options.secret !== '' ? { SECRET_HASH: hash(username, id, options.secret ?? secret) } : {}), ...options.extra },
      ClientMetadata: options.metadata,
    }),
  );
}

function answer(session: string | undefined, ANSWER: string, metadata?: Record<string, string>, options: { username?: string; id?: string; secret?: string } = {}) {
  const username = options.username ?? USER;
  const id = options.id ?? clientId;
  return pub.send(
    new RespondToAuthChallengeCommand({
      ClientId: id,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: session,
      ChallengeResponses: { USERNAME: username, ANSWER, ...(options.secret !== '' ? { SECRET_HASH: hash(username, id, options.secret ?? secret) } : {}) },
      ClientMetadata: metadata,
    }),
  );
}

function assertion(over: Partial<Parameters<typeof signSsoAssertion>[1]> = {}, key: Uint8Array = ssoKey) {
  return signSsoAssertion(key, { clientId, sub, username: USER, authTime: nowSeconds() - 1200, now: t.clock.now(), ...over });
}

/** auth_time is the time of this sign-in (between `before` and now), not any asserted value. */
function expectSignedInNow(authTime: unknown, before: number): void {
  expect(authTime).toBeGreaterThanOrEqual(before);
  expect(authTime).toBeLessThanOrEqual(nowSeconds());
}

const NOT_AUTHORIZED = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

describe('CUSTOM_AUTH with Portico SSO triggers (the default)', () => {
  it('asks a CUSTOM_CHALLENGE, then issues tokens with the asserted auth_time, scopes and nonce', async () => {
    const authTime = nowSeconds() - 1800;
    const init = await start({ metadata: { 'portico:scope': 'openid email', nonce: 'sso-nonce' } });
    expect(init.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(init.ChallengeParameters).toEqual({ USERNAME: USER });
    expect(init.Session!.length).toBeGreaterThanOrEqual(20);
    const metadata = { 'portico:scope': 'openid email', nonce: 'sso-nonce', 'portico:auth_time': String(authTime) };
    const done = await answer(init.Session, await assertion({ authTime }), metadata);
    expect(done.ChallengeName).toBeUndefined();
    const id = decodeJwt(done.AuthenticationResult!.IdToken!);
    const access = decodeJwt(done.AuthenticationResult!.AccessToken!);
    expect(id['auth_time']).toBe(authTime);
    expect(access['auth_time']).toBe(authTime);
    expect(id['nonce']).toBe('sso-nonce');
    expect(id['sub']).toBe(sub);
    expect(id['email']).toBe('grace@example.com');
    expect(id['given_name']).toBeUndefined();
    expect(access['scope']).toBe('openid email');
    expect(done.AuthenticationResult!.RefreshToken).toEqual(expect.any(String));
  });

  it('each Session is single use', async () => {
    const init = await start();
    const authTime = nowSeconds() - 60;
    await answer(init.Session, await assertion({ authTime }), { 'portico:auth_time': String(authTime) });
    expect(await failure(answer(init.Session, await assertion({ authTime }), { 'portico:auth_time': String(authTime) }))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('refuses a wrong key, a wrong audience, an expired assertion or a mismatched auth_time, and the Session dies', async () => {
    const authTime = nowSeconds() - 300;
    const metadata = { 'portico:auth_time': String(authTime) };
    const bad = [
      await assertion({ authTime }, randomBytes(32)),
      await assertion({ authTime, clientId: 'some-other-client' }),
      await assertion({ authTime, now: t.clock.now() - 61_000 }),
      await assertion({ authTime: authTime - 1 }),
      'not-an-assertion',
    ];
    for (const token of bad) {
      const init = await start();
      expect(await failure(answer(init.Session, token, metadata))).toEqual(NOT_AUTHORIZED);
      expect((await failure(answer(init.Session, await assertion({ authTime }), metadata))).message).toBe('Invalid session for the user.');
    }
  });

  it('an assertion that was fresh when signed is refused after the test clock passes its exp', async () => {
    const authTime = nowSeconds() - 10;
    const token = await assertion({ authTime });
    const init = await start();
    t.clock.advance(61_000);
    expect(await failure(answer(init.Session, token, { 'portico:auth_time': String(authTime) }))).toEqual(NOT_AUTHORIZED);
  });

  it('a bare portico:auth_time without a verified assertion never sets auth_time (password sign-in)', async () => {
    const before = nowSeconds();
    const out = await srpSignIn(pub, { poolId, clientId, username: USER, password: PASSWORD, secret, timestamp: new Date(t.clock.now()), clientMetadata: { 'portico:auth_time': '1000' } });
    expectSignedInNow(decodeJwt(out.AuthenticationResult!.IdToken!)['auth_time'], before);
  });

  it('checks SECRET_HASH and the client flow', async () => {
    expect(await failure(start({ secret: '' }))).toEqual({
      name: 'NotAuthorizedException',
      message: `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
    });
    const { clientId: noCustom, secret: s2 } = await makeClient(t, poolId, { GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] });
    expect(await failure(start({ id: noCustom, secret: s2! }))).toEqual({ name: 'InvalidParameterException', message: 'CUSTOM_AUTH flow not enabled for this client' });
  });

  it('works through AdminInitiateAuth / AdminRespondToAuthChallenge', async () => {
    const init = await admin.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: USER, SECRET_HASH: hash(USER) } }),
    );
    expect(init.ChallengeName).toBe('CUSTOM_CHALLENGE');
    const authTime = nowSeconds() - 5;
    const done = await admin.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: init.Session,
        ChallengeResponses: { USERNAME: USER, ANSWER: await assertion({ authTime }), SECRET_HASH: hash(USER) },
        ClientMetadata: { 'portico:auth_time': String(authTime) },
      }),
    );
    expect(decodeJwt(done.AuthenticationResult!.AccessToken!)['auth_time']).toBe(authTime);
  });

  it('unknown users: UserNotFoundException, or with PreventUserExistenceErrors a challenge that can only fail', async () => {
    expect(await failure(start({ username: 'nobody' }))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    const { clientId: hiding, secret: s3 } = await makeClient(t, poolId, { GenerateSecret: true, ExplicitAuthFlows: FLOWS, PreventUserExistenceErrors: 'ENABLED' });
    const init = await start({ username: 'nobody', id: hiding, secret: s3! });
    expect(init.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(init.ChallengeParameters).toEqual({ USERNAME: 'nobody' });
    const token = await signSsoAssertion(ssoKey, { clientId: hiding, sub: 'x', username: 'nobody', authTime: 1, now: t.clock.now() });
    expect(await failure(answer(init.Session, token, { 'portico:auth_time': '1' }, { username: 'nobody', id: hiding, secret: s3! }))).toEqual(NOT_AUTHORIZED);
  });

  it('MFA still applies after the triggers issue tokens, and the tokens keep the asserted auth_time', async () => {
    const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/portico-sms', ExternalId: 'portico' };
    const mfaPool = await makePool(t, { MfaConfiguration: 'OPTIONAL', SmsConfiguration: SMS });
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: mfaPool, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS } }));
    const { clientId: mfaClient } = await makeClient(t, mfaPool, { ExplicitAuthFlows: FLOWS });
    await makeUser(t, mfaPool, 'mo', { attributes: { phone_number: '+15555550177' } });
    await admin.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: mfaPool, Username: 'mo', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const moSub = await subOf(mfaPool, 'mo');
    const authTime = nowSeconds() - 100;
    const init = await start({ username: 'mo', id: mfaClient, secret: '' });
    const token = await signSsoAssertion(ssoKey, { clientId: mfaClient, sub: moSub, username: 'mo', authTime, now: t.clock.now() });
    const mfa = await answer(init.Session, token, { 'portico:auth_time': String(authTime) }, { username: 'mo', id: mfaClient, secret: '' });
    expect(mfa.ChallengeName).toBe('SMS_MFA');
    const message = (await listOutbox(t.engine.deps)).find((m) => m.to === '+15555550177')!;
    const code = /\b(\d{6})\b/.exec(message.text)![1]!;
    const done = await pub.send(
      new RespondToAuthChallengeCommand({ ClientId: mfaClient, ChallengeName: 'SMS_MFA', Session: mfa.Session, ChallengeResponses: { USERNAME: 'mo', SMS_MFA_CODE: code } }),
    );
    expect(decodeJwt(done.AuthenticationResult!.IdToken!)['auth_time']).toBe(authTime);
  });
});

describe('trigger resolution from LambdaConfig', () => {
  async function poolWith(lambda: LambdaConfigType): Promise<{ pool: string; client: string }> {
    const pool = await makePool(t, { LambdaConfig: lambda });
    const { clientId: client } = await makeClient(t, pool, { ExplicitAuthFlows: FLOWS });
    await makeUser(t, pool, USER);
    return { pool, client };
  }

  it('Portico ARNs run the built-in triggers; foreign ones leave custom auth unconfigured', async () => {
    const portico = await poolWith({
      DefineAuthChallenge: ARN('portico-sso-define'),
      CreateAuthChallenge: `${ARN('portico-sso-create')}:live`,
      VerifyAuthChallengeResponse: 'arn:aws:lambda:eu-west-1:999999999999:function:portico-sso-verify',
    });
    expect((await start({ id: portico.client, secret: '' })).ChallengeName).toBe('CUSTOM_CHALLENGE');

    const foreign = await poolWith({ DefineAuthChallenge: ARN('my-define'), CreateAuthChallenge: ARN('my-create'), VerifyAuthChallengeResponse: ARN('my-verify') });
    const notConfigured = { name: 'InvalidParameterException', message: 'Custom auth lambda trigger is not configured for the user pool.' };
    expect(await failure(start({ id: foreign.client, secret: '' }))).toEqual(notConfigured);

    // Switching to foreign triggers mid-sign-in ends the sign-in the same way.
    const init = await start({ id: portico.client, secret: '' });
    await admin.send(new UpdateUserPoolCommand({ UserPoolId: portico.pool, LambdaConfig: { DefineAuthChallenge: ARN('my-define') } }));
    expect(await failure(answer(init.Session, 'x', undefined, { id: portico.client, secret: '' }))).toEqual(notConfigured);
  });

  it('other LambdaConfig triggers (no custom-auth ones) keep the built-in default', async () => {
    const other = await poolWith({ PreSignUp: ARN('my-pre-signup') });
    expect((await start({ id: other.client, secret: '' })).ChallengeName).toBe('CUSTOM_CHALLENGE');
  });
});

describe('in-process triggers: Cognito event shapes and error mapping', () => {
  const undo: Array<() => void> = [];
  afterEach(() => {
    while (undo.length) undo.pop()!();
  });

  let n = 0;
  async function customPool(define: (e: DefineAuthChallengeEvent) => Promise<DefineAuthChallengeEvent>, create?: (e: CreateAuthChallengeEvent) => Promise<CreateAuthChallengeEvent>, verify?: (e: VerifyAuthChallengeResponseEvent) => Promise<VerifyAuthChallengeResponseEvent>) {
    n += 1;
    const names = { define: `test-define-${n}`, create: `test-create-${n}`, verify: `test-verify-${n}` };
    undo.push(registerLambda(names.define, define));
    undo.push(
      registerLambda(
        names.create,
        create ??
          (async (e: CreateAuthChallengeEvent) => {
            e.response = { publicChallengeParameters: { hint: 'say please' }, privateChallengeParameters: { answer: 'please' }, challengeMetadata: 'POLITE' };
            return e;
          }),
      ),
    );
    undo.push(
      registerLambda(
        names.verify,
        verify ??
          (async (e: VerifyAuthChallengeResponseEvent) => {
            e.response = { answerCorrect: e.request.challengeAnswer === e.request.privateChallengeParameters['answer'] };
            return e;
          }),
      ),
    );
    const pool = await makePool(t, {
      LambdaConfig: { DefineAuthChallenge: ARN(names.define), CreateAuthChallenge: ARN(names.create), VerifyAuthChallengeResponse: ARN(names.verify) },
    });
    const { clientId: client } = await makeClient(t, pool, { ExplicitAuthFlows: FLOWS, ...OAUTH });
    await makeUser(t, pool, USER, { attributes: { email: 'g@example.com' } });
    return { pool, client };
  }

  /** Two tries, then fail; tokens after a correct answer. */
  const politeDefine = async (e: DefineAuthChallengeEvent) => {
    const last = e.request.session.at(-1);
    if (last?.challengeResult === true) e.response = { issueTokens: true, failAuthentication: false };
    else if (e.request.session.length >= 2) e.response = { issueTokens: false, failAuthentication: true };
    else e.response = { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false };
    return e;
  };

  it('Define, Create and Verify see Cognito\'s events; ClientMetadata only on RespondToAuthChallenge', async () => {
    const seen: Array<DefineAuthChallengeEvent | CreateAuthChallengeEvent | VerifyAuthChallengeResponseEvent> = [];
    const { pool, client } = await customPool(
      async (e) => {
        seen.push(structuredClone(e));
        return politeDefine(e);
      },
      async (e) => {
        seen.push(structuredClone(e));
        e.response = { publicChallengeParameters: { hint: 'say please' }, privateChallengeParameters: { answer: 'please' }, challengeMetadata: 'POLITE' };
        return e;
      },
      async (e) => {
        seen.push(structuredClone(e));
        e.response = { answerCorrect: e.request.challengeAnswer === 'please' };
        return e;
      },
    );
    const init = await start({ id: client, secret: '', metadata: { at: 'initiate' } });
    expect(init.ChallengeParameters).toEqual({ hint: 'say please', USERNAME: USER });
    const retry = await answer(init.Session, 'no', { at: 'respond-1' }, { id: client, secret: '' });
    expect(retry.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(retry.Session).not.toBe(init.Session);
    expect((await failure(answer(init.Session, 'please', undefined, { id: client, secret: '' }))).message).toBe('Invalid session for the user.');
    const before = nowSeconds();
    const done = await answer(retry.Session, 'please', { at: 'respond-2', 'portico:auth_time': '1000' }, { id: client, secret: '' });
    expect(done.AuthenticationResult!.AccessToken).toEqual(expect.any(String));
    // A custom Verify cannot stamp auth_time, whatever the metadata says.
    expectSignedInNow(decodeJwt(done.AuthenticationResult!.IdToken!)['auth_time'], before);

    expect(seen.map((e) => e.triggerSource)).toEqual([
      'DefineAuthChallenge_Authentication',
      'CreateAuthChallenge_Authentication',
      'VerifyAuthChallengeResponse_Authentication',
      'DefineAuthChallenge_Authentication',
      'CreateAuthChallenge_Authentication',
      'VerifyAuthChallengeResponse_Authentication',
      'DefineAuthChallenge_Authentication',
    ]);
    const first = seen[0] as DefineAuthChallengeEvent;
    expect(first).toMatchObject({
      version: '1',
      region: 'us-east-1',
      userPoolId: pool,
      userName: USER,
      callerContext: { awsSdkVersion: expect.any(String), clientId: client },
      request: { session: [], userNotFound: false },
      response: {},
    });
    expect(first.request.userAttributes).toMatchObject({ sub: expect.any(String), email: 'g@example.com', 'cognito:user_status': 'CONFIRMED' });
    expect(first.request.clientMetadata).toBeUndefined();
    expect((seen[1] as CreateAuthChallengeEvent).request).toMatchObject({ challengeName: 'CUSTOM_CHALLENGE', session: [] });
    expect((seen[1] as CreateAuthChallengeEvent).request.clientMetadata).toBeUndefined();
    expect((seen[2] as VerifyAuthChallengeResponseEvent).request).toMatchObject({
      privateChallengeParameters: { answer: 'please' },
      challengeAnswer: 'no',
      clientMetadata: { at: 'respond-1' },
      userNotFound: false,
    });
    expect((seen[3] as DefineAuthChallengeEvent).request).toMatchObject({
      session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'POLITE' }],
      clientMetadata: { at: 'respond-1' },
    });
    expect((seen[6] as DefineAuthChallengeEvent).request.session).toEqual([
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'POLITE' },
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'POLITE' },
    ]);
  });

  it('SRP_A first: Define sees it, asks PASSWORD_VERIFIER, then sees the proven password', async () => {
    const sessions: unknown[] = [];
    const { pool, client } = await customPool(async (e) => {
      sessions.push(structuredClone(e.request.session));
      const names = e.request.session.map((s) => s.challengeName);
      if (names.length === 1 && names[0] === 'SRP_A') e.response = { challengeName: 'PASSWORD_VERIFIER' };
      else if (names.at(-1) === 'PASSWORD_VERIFIER') e.response = { challengeName: 'CUSTOM_CHALLENGE' };
      else if (e.request.session.at(-1)?.challengeResult) e.response = { issueTokens: true };
      else e.response = { failAuthentication: true };
      return e;
    });
    const { a, A } = clientEphemeral();
    const init = await start({ id: client, secret: '', extra: { CHALLENGE_NAME: 'SRP_A', SRP_A: toHex(A) } });
    expect(init.ChallengeName).toBe('PASSWORD_VERIFIER');
    const p = init.ChallengeParameters!;
    const poolName = pool.split('_')[1]!;
    const key = clientKey(a, A, bigFromHex(p['SRP_B']!), computeX(p['SALT']!, poolName, p['USER_ID_FOR_SRP']!, PASSWORD));
    const timestamp = srpTimestamp(new Date(t.clock.now()));
    const custom = await pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: client,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: init.Session,
        ChallengeResponses: {
          USERNAME: p['USER_ID_FOR_SRP']!,
          PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!,
          PASSWORD_CLAIM_SIGNATURE: claimSignature(key, poolName, p['USER_ID_FOR_SRP']!, p['SECRET_BLOCK']!, timestamp),
          TIMESTAMP: timestamp,
        },
      }),
    );
    expect(custom.ChallengeName).toBe('CUSTOM_CHALLENGE');
    const done = await answer(custom.Session, 'please', undefined, { id: client, secret: '' });
    expect(done.AuthenticationResult!.IdToken).toEqual(expect.any(String));
    expect(sessions).toEqual([
      [{ challengeName: 'SRP_A', challengeResult: true }],
      [
        { challengeName: 'SRP_A', challengeResult: true },
        { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
      ],
      [
        { challengeName: 'SRP_A', challengeResult: true },
        { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'POLITE' },
      ],
    ]);
  });

  it('a trigger that throws is UserLambdaValidationException; a malformed answer InvalidLambdaResponseException', async () => {
    const throwing = await customPool(async () => {
      throw new Error('boom');
    });
    expect(await failure(start({ id: throwing.client, secret: '' }))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'DefineAuthChallenge failed with error boom.',
    });
    const empty = await customPool(async (e) => e);
    expect(await failure(start({ id: empty.client, secret: '' }))).toEqual({ name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
    const wrongType = await customPool(async (e) => {
      (e.response as Record<string, unknown>)['issueTokens'] = 'yes';
      return e;
    });
    expect((await failure(start({ id: wrongType.client, secret: '' }))).name).toBe('InvalidLambdaResponseException');
    const noEvent = await customPool((async () => undefined) as unknown as typeof politeDefine);
    expect((await failure(start({ id: noEvent.client, secret: '' }))).name).toBe('InvalidLambdaResponseException');
    const badCreate = await customPool(politeDefine, async (e) => {
      e.response = { publicChallengeParameters: { n: 1 as unknown as string } };
      return e;
    });
    expect((await failure(start({ id: badCreate.client, secret: '' }))).name).toBe('InvalidLambdaResponseException');
    const verifyThrows = await customPool(politeDefine, undefined, async () => {
      throw new Error('verifier down');
    });
    const init = await start({ id: verifyThrows.client, secret: '' });
    expect(await failure(answer(init.Session, 'please', undefined, { id: verifyThrows.client, secret: '' }))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'VerifyAuthChallengeResponse failed with error verifier down.',
    });
  });

  it('issueTokens for an unknown user still fails', async () => {
    const yes = await customPool(async (e) => {
      e.response = { issueTokens: true };
      return e;
    });
    const { clientId: hiding } = await makeClient(t, yes.pool, { ExplicitAuthFlows: FLOWS, PreventUserExistenceErrors: 'ENABLED' });
    expect(await failure(start({ username: 'ghost', id: hiding, secret: '' }))).toEqual(NOT_AUTHORIZED);
    expect((await start({ id: hiding, secret: '' })).AuthenticationResult!.AccessToken).toEqual(expect.any(String));
  });
});
