import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDisableUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor, storedSsoSession } from '../helpers/hosted-runtime';
import { makeClient, makePool, makeUser } from './auth-fixtures';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { AuthorizeRequest } from '../../lib/oauth/types';
import { sessionUsable, silentSignIn } from '../../lib/hosted/sso';
import { loadSsoSession, type SsoSession, type SsoSessionData } from '../../lib/hosted/sso-session';

/**
 * Single sign-on in-process (lib/hosted/sso.ts): when a hosted session may answer a request, and the
 * silent CUSTOM_AUTH round through the pool with Portico's SSO triggers — tokens for the other client,
 * with the session's auth_time, the request's nonce and scopes.
 */
let t: TestPool;
let rt: HostedRuntime;
let poolId: string;
let otherPoolId: string;
let publicClient: string;
let secretClient: string;
let noCustomClient: string;
let foreignClient: string;
let aliceSub: string;

const OAUTH = {
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code' as const],
  AllowedOAuthScopes: ['openid', 'email', 'profile'],
  SupportedIdentityProviders: ['COGNITO'],
  CallbackURLs: ['https://rp.example/cb'],
  ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH' as const, 'ALLOW_CUSTOM_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const],
};

async function subOf(pool: string, username: string): Promise<string> {
  const out = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }));
  return out.UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
}

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  poolId = await makePool(t, { AliasAttributes: ['email'] });
  otherPoolId = await makePool(t, { PoolName: 'other' });
  publicClient = (await makeClient(t, poolId, OAUTH)).clientId;
  secretClient = (await makeClient(t, poolId, { ...OAUTH, GenerateSecret: true })).clientId;
  noCustomClient = (await makeClient(t, poolId, { ...OAUTH, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).clientId;
  foreignClient = (await makeClient(t, otherPoolId, OAUTH)).clientId;
  await makeUser(t, poolId, 'alice', { attributes: { email: 'alice@example.com', email_verified: 'true', name: 'Alice' } });
  await makeUser(t, poolId, 'bob');
  await makeUser(t, otherPoolId, 'alice');
  aliceSub = await subOf(poolId, 'alice');
});

afterAll(async () => {
  await t?.close();
});

function request(clientId: string, extra: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return { clientId, poolId, responseType: 'code', redirectUri: 'https://rp.example/cb', scopes: ['openid', 'email'], nonce: 'n-0S6_WzA2Mj', ...extra };
}

const nowSeconds = () => Math.floor(t.clock.now() / 1000);

async function session(data: Partial<SsoSessionData> = {}): Promise<SsoSession> {
  return storedSsoSession(rt, { poolId, sub: aliceSub, username: 'alice', authTime: nowSeconds() - 600, clients: [publicClient], ...data });
}

describe('sessionUsable', () => {
  const base = (): SsoSession => ({
    id: 'x',
    expiresAt: 10_000_000,
    data: { poolId: 'us-east-1_A', sub: 's', username: 'u', authTime: 9_000, clients: [] },
  });
  const req = (extra: Partial<AuthorizeRequest> = {}) => ({ ...request('c'), poolId: 'us-east-1_A', ...extra });

  it('a live session of the same pool answers', () => {
    expect(sessionUsable(base(), req(), 9_500_000)).toBe(true);
    expect(sessionUsable(base(), req({ prompt: 'none' }), 9_500_000)).toBe(true);
    expect(sessionUsable(base(), req({ prompt: 'select_account' }), 9_500_000)).toBe(true);
  });

  it('not for another pool, after expiry, or with prompt=login', () => {
    expect(sessionUsable(base(), req({ poolId: 'us-east-1_B' }), 9_500_000)).toBe(false);
    expect(sessionUsable(base(), req(), 10_000_000)).toBe(false);
    expect(sessionUsable(base(), req({ prompt: 'login' }), 9_500_000)).toBe(false);
  });

  it('honours max_age: auth_time + max_age must not be in the past', () => {
    expect(sessionUsable(base(), req({ maxAge: 500 }), 9_500_999)).toBe(true);
    expect(sessionUsable(base(), req({ maxAge: 499 }), 9_500_000)).toBe(false);
    expect(sessionUsable(base(), req({ maxAge: 0 }), 9_000_000)).toBe(true);
    expect(sessionUsable(base(), req({ maxAge: 0 }), 9_001_000)).toBe(false);
  });
});

describe('silentSignIn', () => {
  it('gets tokens for another public client with the session auth_time, the nonce and the scopes', async () => {
    const s = await session();
    const out = await silentSignIn(rt, request(publicClient), s);
    expect(out).toBeDefined();
    const id = decodeJwt(out!.result.IdToken!);
    const access = decodeJwt(out!.result.AccessToken!);
    expect(id.aud).toBe(publicClient);
    expect(id.sub).toBe(aliceSub);
    expect(id.auth_time).toBe(s.data.authTime);
    expect(access.auth_time).toBe(s.data.authTime);
    expect(id.nonce).toBe('n-0S6_WzA2Mj');
    expect(id.email).toBe('alice@example.com');
    expect(id.name).toBeUndefined();
    expect(access.scope).toBe('openid email');
    expect(out!.result.RefreshToken).toBeTruthy();
    expect(out!.claims).toEqual({ sub: aliceSub, authTime: s.data.authTime });
  });

  it('works for a confidential client (SECRET_HASH) and records the client in the session', async () => {
    const s = await session();
    const out = await silentSignIn(rt, request(secretClient, { scopes: ['openid', 'profile'], nonce: undefined }), s);
    expect(out).toBeDefined();
    const id = decodeJwt(out!.result.IdToken!);
    expect(id.aud).toBe(secretClient);
    expect(id.nonce).toBeUndefined();
    expect(id.name).toBe('Alice');
    expect((await loadSsoSession(rt, s.id))!.data.clients).toEqual([publicClient, secretClient]);
  });

  it('a client without ALLOW_CUSTOM_AUTH gets nothing silently, and the session stays', async () => {
    const s = await session();
    expect(await silentSignIn(rt, request(noCustomClient), s)).toBeUndefined();
    expect(await loadSsoSession(rt, s.id)).toBeDefined();
  });

  it('a client of another pool gets nothing', async () => {
    const s = await session();
    expect(await silentSignIn(rt, { ...request(foreignClient), poolId: otherPoolId }, s)).toBeUndefined();
  });

  it('a session whose user does not match the pool user is refused by the pool and ended', async () => {
    const s = await session({ sub: await subOf(poolId, 'bob') });
    expect(await silentSignIn(rt, request(publicClient), s)).toBeUndefined();
    expect(await loadSsoSession(rt, s.id)).toBeUndefined();
  });

  it('an assertion signed with another key is refused', async () => {
    const s = await session();
    const stranger = { ...rt, ssoKey: Buffer.alloc(32, 7) };
    expect(await silentSignIn(stranger, request(publicClient), s)).toBeUndefined();
    expect(await loadSsoSession(rt, s.id)).toBeUndefined();
  });

  it('a disabled user ends the session', async () => {
    await makeUser(t, poolId, 'carol');
    const s = await session({ sub: await subOf(poolId, 'carol'), username: 'carol' });
    expect(await silentSignIn(rt, request(publicClient), s)).toBeDefined();
    await t.adminClient().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'carol' }));
    expect(await silentSignIn(rt, request(publicClient), s)).toBeUndefined();
    expect(await loadSsoSession(rt, s.id)).toBeUndefined();
  });
});
