import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminInitiateAuthCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, decodeJwt, expectError, makeClient, makePool, makeUser } from './auth-fixtures';
import { passwordSignIn } from '../helpers/self-service';
import { secretHash } from '../../lib/userpool/secret-hash';

let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

const MINUTE = 60_000;

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t);
  ({ clientId } = await makeClient(t, poolId));
  await makeUser(t, poolId, 'rhea', { attributes: { email: 'rhea@example.com' } });
});
afterAll(async () => t?.close());

const refreshAuth = (refreshToken: string, id = clientId, extra: Record<string, string> = {}) =>
  pub.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: id, AuthParameters: { REFRESH_TOKEN: refreshToken, ...extra } }));
const getTokens = (refreshToken: string, id = clientId, clientSecret?: string) =>
  pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: id, RefreshToken: refreshToken, ClientSecret: clientSecret }));
const sub = (token: string) => String(decodeJwt(token)['sub']);

describe('REFRESH_TOKEN_AUTH', () => {
  it('returns new ID and access tokens (no refresh token) of the same family and sign-in time', async () => {
    const first = await passwordSignIn(pub, clientId, 'rhea', PASSWORD);
    t.clock.advance(10 * MINUTE);
    const out = await refreshAuth(first.RefreshToken!);
    const r = out.AuthenticationResult!;
    expect(r.RefreshToken).toBeUndefined();
    expect(r.TokenType).toBe('Bearer');
    expect(r.ExpiresIn).toBe(3600);
    const [before, after] = [decodeJwt(first.AccessToken!), decodeJwt(r.AccessToken!)];
    expect(after['origin_jti']).toBe(before['origin_jti']);
    expect(after['auth_time']).toBe(before['auth_time']);
    expect(Number(after['iat'])).toBeGreaterThanOrEqual(Number(before['iat']) + 600);
    expect(after['jti']).not.toBe(before['jti']);
    expect(decodeJwt(r.IdToken!)['auth_time']).toBe(before['auth_time']);
    expect((await pub.send(new GetUserCommand({ AccessToken: r.AccessToken }))).Username).toBe('rhea');
  });

  it('works through AdminInitiateAuth too', async () => {
    const first = await passwordSignIn(pub, clientId, 'rhea', PASSWORD);
    const out = await t.adminClient().send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }),
    );
    expect(decodeJwt(out.AuthenticationResult!.AccessToken!)['origin_jti']).toBe(decodeJwt(first.AccessToken!)['origin_jti']);
  });

  it('refuses unknown tokens and tokens of another client', async () => {
    await expectError(refreshAuth('not-a-refresh-token'), 'NotAuthorizedException', 'Invalid Refresh Token');
    const { clientId: other } = await makeClient(t, poolId);
    const first = await passwordSignIn(pub, clientId, 'rhea', PASSWORD);
    await expectError(refreshAuth(first.RefreshToken!, other), 'NotAuthorizedException', 'Invalid Refresh Token');
    await expectError(getTokens(first.RefreshToken!, other), 'NotAuthorizedException', 'Invalid Refresh Token');
  });

  it('lets refresh tokens expire after the client\'s RefreshTokenValidity', async () => {
    const { clientId: shortLived } = await makeClient(t, poolId, { RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } });
    const first = await passwordSignIn(pub, shortLived, 'rhea', PASSWORD);
    t.clock.advance(59 * MINUTE);
    await refreshAuth(first.RefreshToken!, shortLived);
    t.clock.advance(2 * MINUTE);
    await expectError(refreshAuth(first.RefreshToken!, shortLived), 'NotAuthorizedException', 'Refresh Token has expired');
  });

  it('takes a SECRET_HASH made with the username or the sub', async () => {
    const { clientId: secretClient, secret } = await makeClient(t, poolId, { GenerateSecret: true });
    const first = await passwordSignIn(pub, secretClient, 'rhea', PASSWORD, { secret });
    const rt = first.RefreshToken!;
    await expectError(refreshAuth(rt, secretClient), 'NotAuthorizedException', `Client ${secretClient} is configured for secret but secret was not received`);
    await expectError(
      refreshAuth(rt, secretClient, { SECRET_HASH: secretHash(secret!, 'someone-else', secretClient) }),
      'NotAuthorizedException',
      `Unable to verify secret hash for client ${secretClient}`,
    );
    await refreshAuth(rt, secretClient, { SECRET_HASH: secretHash(secret!, 'rhea', secretClient) });
    await refreshAuth(rt, secretClient, { SECRET_HASH: secretHash(secret!, sub(first.AccessToken!), secretClient) });
  });
});

describe('GetTokensFromRefreshToken', () => {
  it('without rotation returns no new refresh token and keeps the old one working', async () => {
    const first = await passwordSignIn(pub, clientId, 'rhea', PASSWORD);
    const out = await getTokens(first.RefreshToken!);
    expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
    expect(decodeJwt(out.AuthenticationResult!.IdToken!)['origin_jti']).toBe(decodeJwt(first.IdToken!)['origin_jti']);
    expect((await getTokens(first.RefreshToken!)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('checks the client secret instead of a SECRET_HASH', async () => {
    const { clientId: secretClient, secret } = await makeClient(t, poolId, { GenerateSecret: true });
    const first = await passwordSignIn(pub, secretClient, 'rhea', PASSWORD, { secret });
    await expectError(getTokens(first.RefreshToken!, secretClient), 'NotAuthorizedException', `Client ${secretClient} is configured for secret but secret was not received`);
    await expectError(getTokens(first.RefreshToken!, secretClient, 'W'.repeat(52)), 'NotAuthorizedException', `Unable to verify secret for client ${secretClient}`);
    expect((await getTokens(first.RefreshToken!, secretClient, secret)).AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe('refresh-token rotation', () => {
  const rotating = (grace: number) =>
    makeClient(t, poolId, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: grace },
    });

  it('issues a new refresh token each time; the old one works during the grace period, and its reuse later revokes the family', async () => {
    const { clientId: rot } = await rotating(10);
    const first = await passwordSignIn(pub, rot, 'rhea', PASSWORD);
    const second = (await getTokens(first.RefreshToken!, rot)).AuthenticationResult!;
    expect(second.RefreshToken).toBeTruthy();
    expect(second.RefreshToken).not.toBe(first.RefreshToken);
    expect(decodeJwt(second.AccessToken!)['origin_jti']).toBe(decodeJwt(first.AccessToken!)['origin_jti']);
    expect(decodeJwt(second.AccessToken!)['auth_time']).toBe(decodeJwt(first.AccessToken!)['auth_time']);

    t.clock.advance(5_000);
    const retry = (await getTokens(first.RefreshToken!, rot)).AuthenticationResult!;
    expect(retry.RefreshToken).toBeTruthy();

    t.clock.advance(6_000);
    await expectError(getTokens(first.RefreshToken!, rot), 'RefreshTokenReuseException', 'Refresh Token has been reused; the session has been revoked');
    await expectError(getTokens(second.RefreshToken!, rot), 'NotAuthorizedException', 'Refresh Token has been revoked');
    await expectError(pub.send(new GetUserCommand({ AccessToken: second.AccessToken })), 'NotAuthorizedException', 'Access Token has been revoked');
  });

  it('with no grace period the old token is dead at once', async () => {
    const { clientId: rot } = await rotating(0);
    const first = await passwordSignIn(pub, rot, 'rhea', PASSWORD);
    const second = (await getTokens(first.RefreshToken!, rot)).AuthenticationResult!;
    const third = (await getTokens(second.RefreshToken!, rot)).AuthenticationResult!;
    expect(third.RefreshToken).toBeTruthy();
    await expectError(getTokens(first.RefreshToken!, rot), 'RefreshTokenReuseException');
    await expectError(getTokens(third.RefreshToken!, rot), 'NotAuthorizedException', 'Refresh Token has been revoked');
  });

  it('slides: each rotation gives the session a full refresh lifetime', async () => {
    const { clientId: rot } = await makeClient(t, poolId, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      RefreshTokenValidity: 60,
      TokenValidityUnits: { RefreshToken: 'minutes' },
    });
    const first = await passwordSignIn(pub, rot, 'rhea', PASSWORD);
    t.clock.advance(50 * MINUTE);
    const second = (await getTokens(first.RefreshToken!, rot)).AuthenticationResult!;
    t.clock.advance(50 * MINUTE);
    const third = (await getTokens(second.RefreshToken!, rot)).AuthenticationResult!;
    t.clock.advance(61 * MINUTE);
    await expectError(getTokens(third.RefreshToken!, rot), 'NotAuthorizedException', 'Refresh Token has expired');
  });

  it('is done with GetTokensFromRefreshToken only', async () => {
    const { clientId: rot } = await makeClient(t, poolId, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    });
    const first = await passwordSignIn(pub, rot, 'rhea', PASSWORD);
    await expectError(refreshAuth(first.RefreshToken!, rot), 'InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client');
    expect((await getTokens(first.RefreshToken!, rot)).AuthenticationResult?.RefreshToken).toBeTruthy();
  });
});
