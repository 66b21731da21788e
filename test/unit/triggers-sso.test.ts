import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeJwt, SignJWT } from 'jose';
import { ssoTriggers, verifyAuthChallengeResponse } from '../../lib/triggers/sso';
import { signSsoAssertion, SSO_AUTH_TIME_METADATA } from '../../lib/triggers/sso-claims';
import type {
  ChallengeResult,
  CreateAuthChallengeEvent,
  DefineAuthChallengeEvent,
  VerifyAuthChallengeResponseEvent,
} from '../../lib/triggers/events';

/** Portico's SSO triggers driven with Cognito's event shapes, as a Lambda would receive them. */
const KEY = randomBytes(32);
const ENV = { PORTICO_SSO_KEY: KEY.toString('base64url') };
const NOW = 1_750_000_000_000;
const SUB = '6f1c2d3e-0000-4000-8000-00000000abcd';
const USER = 'ada';
const CLIENT = 'client0123456789abcdefghij';
const AUTH_TIME = Math.floor(NOW / 1000) - 600;

const triggers = ssoTriggers({ env: ENV, now: () => NOW });

function common<S extends string>(triggerSource: S) {
  return {
    version: '1',
    triggerSource,
    region: 'us-east-1',
    userPoolId: 'us-east-1_Pool1',
    userName: USER,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: CLIENT },
  };
}

const userAttributes = { sub: SUB, email: 'ada@example.com', 'cognito:user_status': 'CONFIRMED' };

function defineEvent(session: ChallengeResult[]): DefineAuthChallengeEvent {
  return { ...common('DefineAuthChallenge_Authentication'), request: { userAttributes, session, userNotFound: false }, response: {} };
}

function verifyEvent(answer: string, overrides: Partial<VerifyAuthChallengeResponseEvent['request']> = {}): VerifyAuthChallengeResponseEvent {
  return {
    ...common('VerifyAuthChallengeResponse_Authentication'),
    request: {
      userAttributes,
      privateChallengeParameters: {},
      challengeAnswer: answer,
      clientMetadata: { [SSO_AUTH_TIME_METADATA]: String(AUTH_TIME), 'portico:scope': 'openid' },
      userNotFound: false,
      ...overrides,
    },
    response: {},
  };
}

const assertion = (over: Partial<Parameters<typeof signSsoAssertion>[1]> = {}, key: Uint8Array = KEY) =>
  signSsoAssertion(key, { clientId: CLIENT, sub: SUB, username: USER, authTime: AUTH_TIME, now: NOW, ...over });

async function answerCorrect(event: VerifyAuthChallengeResponseEvent): Promise<boolean | undefined> {
  return (await triggers.verify(event)).response.answerCorrect;
}

/** A token with hand-picked claims, for shapes signSsoAssertion never makes. */
async function raw(claims: Record<string, unknown>, alg = 'HS256'): Promise<string> {
  const now = Math.floor(NOW / 1000);
  const base = { iss: 'portico', aud: CLIENT, sub: SUB, 'cognito:username': USER, auth_time: AUTH_TIME, jti: 'j-1', iat: now, exp: now + 60 };
  return new SignJWT({ ...base, ...claims }).setProtectedHeader({ alg }).sign(alg === 'HS512' ? randomBytes(64) : KEY);
}

describe('Define Auth Challenge', () => {
  it('asks for the custom challenge first', async () => {
    const out = await triggers.define(defineEvent([]));
    expect(out.response).toEqual({ challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false });
    expect(out.triggerSource).toBe('DefineAuthChallenge_Authentication');
  });

  it('issues tokens after one correct SSO answer', async () => {
    const out = await triggers.define(defineEvent([{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'PORTICO_SSO' }]));
    expect(out.response).toEqual({ issueTokens: true, failAuthentication: false });
  });

  it('fails after a wrong answer, a password round, or a correct answer to some other challenge', async () => {
    const sessions: ChallengeResult[][] = [
      [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'PORTICO_SSO' }],
      [{ challengeName: 'SRP_A', challengeResult: true }],
      [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'OTHER' }],
      [
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'PORTICO_SSO' },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'PORTICO_SSO' },
      ],
    ];
    for (const session of sessions) {
      expect((await triggers.define(defineEvent(session))).response).toEqual({ issueTokens: false, failAuthentication: true });
    }
  });
});

describe('Create Auth Challenge', () => {
  it('names the challenge PORTICO_SSO and tells the client nothing', async () => {
    const event: CreateAuthChallengeEvent = {
      ...common('CreateAuthChallenge_Authentication'),
      request: { userAttributes, challengeName: 'CUSTOM_CHALLENGE', session: [], userNotFound: false },
      response: {},
    };
    const out = await triggers.create(event);
    expect(out.response).toEqual({ publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: 'PORTICO_SSO' });
  });
});

describe('Verify Auth Challenge Response', () => {
  it('accepts a fresh assertion of this user for this client with the session auth_time', async () => {
    expect(await answerCorrect(verifyEvent(await assertion()))).toBe(true);
  });

  it('signSsoAssertion makes a 60-second HS256 assertion with the shared claim names', async () => {
    const token = await assertion();
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: 'portico',
      aud: CLIENT,
      sub: SUB,
      'cognito:username': USER,
      auth_time: AUTH_TIME,
      jti: expect.any(String),
      iat: Math.floor(NOW / 1000),
      exp: Math.floor(NOW / 1000) + 60,
    });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
  });

  it('refuses another key, another audience, another user, or an expired assertion', async () => {
    expect(await answerCorrect(verifyEvent(await assertion({}, randomBytes(32))))).toBe(false);
    expect(await answerCorrect(verifyEvent(await assertion({ clientId: 'another-client' })))).toBe(false);
    expect(await answerCorrect(verifyEvent(await assertion({ sub: 'someone-else' })))).toBe(false);
    expect(await answerCorrect(verifyEvent(await assertion({ username: 'eve' })))).toBe(false);
    expect(await answerCorrect(verifyEvent(await assertion({ now: NOW - 61_000 })))).toBe(false);
  });

  it('refuses an auth_time that differs from clientMetadata, or a call without it', async () => {
    expect(await answerCorrect(verifyEvent(await assertion({ authTime: AUTH_TIME + 1 })))).toBe(false);
    expect(await answerCorrect(verifyEvent(await assertion(), { clientMetadata: {} }))).toBe(false);
    expect(await answerCorrect(verifyEvent(await assertion(), { clientMetadata: { [SSO_AUTH_TIME_METADATA]: `${AUTH_TIME}.0` } }))).toBe(false);
  });

  it('refuses long-lived, far-future, wrong-issuer and wrong-algorithm tokens', async () => {
    const now = Math.floor(NOW / 1000);
    expect(await answerCorrect(verifyEvent(await raw({})))).toBe(true);
    expect(await answerCorrect(verifyEvent(await raw({ exp: now + 300 })))).toBe(false);
    expect(await answerCorrect(verifyEvent(await raw({ iat: now - 100, exp: now + 30 })))).toBe(false);
    expect(await answerCorrect(verifyEvent(await raw({ iss: 'someone' })))).toBe(false);
    expect(await answerCorrect(verifyEvent(await raw({ aud: [CLIENT, 'other'] })))).toBe(false);
    expect(await answerCorrect(verifyEvent(await raw({ jti: undefined })))).toBe(false);
    expect(await answerCorrect(verifyEvent(await raw({}, 'HS512')))).toBe(false);
    expect(await answerCorrect(verifyEvent('not-a-jwt'))).toBe(false);
  });

  it('refuses everything for an unknown user (userNotFound)', async () => {
    expect(await answerCorrect(verifyEvent(await assertion(), { userNotFound: true, userAttributes: {} }))).toBe(false);
  });

  it('throws without a key, as a misconfigured Lambda would', async () => {
    await expect(ssoTriggers({ env: {} }).verify(verifyEvent(await assertion()))).rejects.toThrow('PORTICO_SSO_KEY is not set');
    await expect(ssoTriggers({ env: { PORTICO_SSO_KEY: 'c2hvcnQ' } }).verify(verifyEvent(await assertion()))).rejects.toThrow();
  });
});

describe('Lambda entry points', () => {
  const saved = process.env['PORTICO_SSO_KEY'];
  afterEach(() => {
    if (saved === undefined) delete process.env['PORTICO_SSO_KEY'];
    else process.env['PORTICO_SSO_KEY'] = saved;
  });

  it('read the key from process.env and the time from the system clock', async () => {
    process.env['PORTICO_SSO_KEY'] = ENV.PORTICO_SSO_KEY;
    const fresh = await signSsoAssertion(KEY, { clientId: CLIENT, sub: SUB, username: USER, authTime: AUTH_TIME, now: Date.now() });
    expect((await verifyAuthChallengeResponse(verifyEvent(fresh))).response.answerCorrect).toBe(true);
    // The fixed test time is long past for the system clock.
    expect((await verifyAuthChallengeResponse(verifyEvent(await assertion()))).response.answerCorrect).toBe(false);
  });
});
