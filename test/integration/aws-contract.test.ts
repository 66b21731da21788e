import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SignJWT, createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { CognitoIdentityProviderClient, GetTokensFromRefreshTokenCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { freshHostedDb } from './aws-fixtures';
import type { Db } from '../../lib/db';
import { parseSettings } from '../../lib/config/env';
import { buildHostedRuntime, type HostedRuntime } from '../../lib/hosted/runtime';
import { atHash, PoolTokenRejected } from '../../lib/hosted/aws-id-token';
import { discoveryDocument } from '../../lib/oauth/discovery';
import { handleSignIn } from '../../lib/hosted/signin';
import { handleMfaCode, handleMfaSetup } from '../../lib/hosted/challenges';
import { loadTransaction } from '../../lib/hosted/transactions';
import { handleToken } from '../../lib/oauth/token';
import { handleUserInfo } from '../../lib/oauth/userinfo';
import { Browser, PASSWORD, BASE, CALLBACK, httpIn, location, makeOAuthClient, makeOAuthPool, makeUser, pkcePair } from './hosted-fixtures';
import { basic } from './oauth-fixtures';

/**
 * The hosted front configured exactly as against Amazon Cognito — PORTICO_AWS_REGION and
 * PORTICO_AWS_POOL_IDS, credentials from the SDK's default provider chain (here the environment),
 * SigV4-signed admin calls over HTTP — with PORTICO_POOL_ENDPOINT pointing at the embedded engine behind
 * its own server and database. A sign-in with SRP and TOTP ends in tokens whose ID token is Portico's
 * (nonce, at_hash, auth_time; Portico's JWKS and issuer) and whose access token is the pool's.
 */
let t: TestPool;
let rt: HostedRuntime;
let hostedDb: { db: Db; drop(): Promise<void> };
let poolId: string;
let client: { clientId: string; secret?: string };
const sent: string[] = [];

const poolIssuer = () => `${t.url}/${poolId}`;
const porticoIssuer = () => `${BASE}/${poolId}`;
const porticoKeys = async () => createLocalJWKSet((await rt.jwks(poolId)) as unknown as JSONWebKeySet);
const poolKeys = () => createRemoteJWKSet(new URL(`${poolIssuer()}/.well-known/jwks.json`));

beforeAll(async () => {
  t = await startTestPool();
  poolId = await makeOAuthPool(t, { MfaConfiguration: 'ON' });
  await t.adminClient().send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  client = await makeOAuthClient(t, poolId);
  await makeUser(t, poolId, 'ada', { attributes: { email: 'ada@example.com', email_verified: 'true' } });

  // The default provider chain finds these; nothing passes credentials to the client.
  vi.stubEnv('AWS_ACCESS_KEY_ID', t.admin.keyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', t.admin.secret);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  hostedDb = await freshHostedDb();
  const settings = parseSettings({
    PORTICO_URL: BASE,
    PORTICO_DATA: '/tmp/portico-unused',
    PORTICO_AWS_REGION: 'us-east-1',
    PORTICO_AWS_POOL_IDS: poolId,
    PORTICO_POOL_ENDPOINT: t.url,
  });
  // The hosted front shares only the SSO key with the pool (as a deployed trigger would), not its database.
  rt = buildHostedRuntime({ settings, db: hostedDb.db, secretKey: t.secretKey, admin: { keyId: 'PORTICOHOSTEDONLY000', secret: randomBytes(24).toString('base64url') } });
  const send = rt.cognito.send.bind(rt.cognito);
  rt.cognito.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
    sent.push(command.constructor.name);
    return (send as (...a: unknown[]) => unknown)(command, ...rest);
  }) as typeof rt.cognito.send;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  rt?.cognito.destroy();
  await hostedDb?.drop();
  await t?.close();
});

async function start(nonce: string, pkce = pkcePair()): Promise<{ b: Browser; verifier: string }> {
  const b = new Browser(rt);
  const out = await b.authorize({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid email profile',
    state: 'S',
    nonce,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
  });
  expect(out.status).toBe(303);
  return { b, verifier: pkce.verifier };
}

async function redeem(out: { headers: Record<string, string> }, verifier: string): Promise<Record<string, string>> {
  const to = location(out as never);
  expect(`${to.origin}${to.pathname}`, to.href).toBe(CALLBACK);
  expect(to.searchParams.get('iss')).toBe(porticoIssuer());
  const res = await handleToken(
    rt,
    httpIn('POST', '/oauth2/token', {
      body: { grant_type: 'authorization_code', code: to.searchParams.get('code')!, redirect_uri: CALLBACK, code_verifier: verifier },
      headers: { authorization: basic(client.clientId, client.secret!) },
    }),
  );
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as Record<string, string>;
}

describe('AWS mode against the embedded engine over HTTP', () => {
  let totp: TOTP;
  let firstIdToken = '';
  let firstAuthTime = 0;
  let refreshToken = '';

  it('the settings select AWS mode: the configured pools, the SDK default credential chain, the pool endpoint', () => {
    expect(rt.settings.aws).toMatchObject({ region: 'us-east-1', poolIds: [poolId] });
    expect(rt.settings.demo).toBe(false);
    expect(rt.idTokens).toBeDefined();
    expect(discoveryDocument(BASE, poolId)).toMatchObject({ issuer: porticoIssuer(), jwks_uri: `${porticoIssuer()}/.well-known/jwks.json` });
  });

  it('a first sign-in enrols TOTP (SRP, MFA_SETUP) and its ID token is Portico’s, carrying the nonce', async () => {
    const { b, verifier } = await start('nonce-1');
    const toSetup = location(await b.post(handleSignIn, { username: 'ada', password: PASSWORD }));
    expect(toSetup.pathname).toBe('/mfa/setup');
    const found = await loadTransaction(rt, b.txId, b.browserId);
    if (!found.ok) throw new Error('transaction');
    totp = new TOTP({ secret: Secret.fromBase32(found.tx.state.totpSecret!), algorithm: 'SHA1', digits: 6, period: 30 });
    const tokens = await redeem(await b.post(handleMfaSetup, { method: 'totp', code: totp.generate({ timestamp: t.clock.now() }) }), verifier);

    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, await porticoKeys(), { issuer: porticoIssuer(), audience: client.clientId });
    expect(protectedHeader.kid).toMatch(/^portico-/);
    expect(payload).toMatchObject({ nonce: 'nonce-1', token_use: 'id', 'cognito:username': 'ada', email: 'ada@example.com', email_verified: true });
    expect(payload.at_hash).toBe(atHash(tokens.access_token!));
    expect(typeof payload.auth_time).toBe('number');
    firstIdToken = tokens.id_token!;
    firstAuthTime = payload.auth_time as number;
    // Not the pool's key: relying parties verify ID tokens against Portico's JWKS only.
    await expect(jwtVerify(tokens.id_token!, poolKeys())).rejects.toThrow();
  });

  it('the next sign-in answers the TOTP challenge; the access token is the pool’s, userinfo takes it, refresh re-issues the ID token', async () => {
    const { b, verifier } = await start('nonce-2');
    expect(location(await b.post(handleSignIn, { username: 'ada', password: PASSWORD })).pathname).toBe('/mfa');
    t.clock.advance(30_000); // a new TOTP step: the pool refuses a code twice
    const tokens = await redeem(await b.post(handleMfaCode, { code: totp.generate({ timestamp: t.clock.now() }) }), verifier);

    const id = await jwtVerify(tokens.id_token!, await porticoKeys(), { issuer: porticoIssuer(), audience: client.clientId });
    expect(id.payload.nonce).toBe('nonce-2');
    expect(id.payload.at_hash).toBe(atHash(tokens.access_token!));
    const access = await jwtVerify(tokens.access_token!, poolKeys(), { issuer: poolIssuer() });
    expect(access.payload).toMatchObject({ token_use: 'access', client_id: client.clientId, username: 'ada', sub: id.payload.sub });
    expect(firstAuthTime).toBeGreaterThan(0);

    const info = await handleUserInfo(rt, httpIn('GET', '/oauth2/userInfo', { headers: { authorization: `Bearer ${tokens.access_token}` } }));
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ sub: id.payload.sub, email: 'ada@example.com', username: 'ada' });

    refreshToken = tokens.refresh_token!;
    const res = await handleToken(
      rt,
      httpIn('POST', '/oauth2/token', { body: { grant_type: 'refresh_token', refresh_token: refreshToken }, headers: { authorization: basic(client.clientId, client.secret!) } }),
    );
    expect(res.status, res.body).toBe(200);
    const refreshed = JSON.parse(res.body) as Record<string, string>;
    const again = await jwtVerify(refreshed.id_token!, await porticoKeys(), { issuer: porticoIssuer(), audience: client.clientId });
    expect(again.payload.sub).toBe(id.payload.sub);
    expect(again.payload.auth_time).toBe(id.payload.auth_time);
    expect(again.payload.nonce).toBeUndefined();
    expect(again.payload.at_hash).toBe(atHash(refreshed.access_token!));
    await jwtVerify(refreshed.access_token!, poolKeys(), { issuer: poolIssuer() });
  });

  it('went through the Cognito API only, never ListUserPools (the pools are configured)', () => {
    expect(sent).toContain('DescribeUserPoolClientCommand');
    expect(sent).toContain('InitiateAuthCommand');
    expect(sent).toContain('AdminGetUserCommand');
    expect(sent).not.toContain('ListUserPoolsCommand');
  });

  it('a rotated key signs from then on; the old one stays in the JWKS so earlier ID tokens still verify', async () => {
    const before = (await rt.jwks(poolId)).keys.map((k) => k.kid);
    await rt.idTokens!.rotate();
    const after = (await rt.jwks(poolId)).keys.map((k) => k.kid);
    expect(after).toHaveLength(before.length + 1);
    expect(after).toEqual(expect.arrayContaining(before));
    await jwtVerify(firstIdToken, await porticoKeys(), { issuer: porticoIssuer(), audience: client.clientId, currentDate: new Date(firstAuthTime * 1000) });
    const { b, verifier } = await start('nonce-3');
    await b.post(handleSignIn, { username: 'ada', password: PASSWORD });
    t.clock.advance(30_000);
    const tokens = await redeem(await b.post(handleMfaCode, { code: totp.generate({ timestamp: t.clock.now() }) }), verifier);
    expect(decodeProtectedHeader(tokens.id_token!).kid).toBe(after.find((k) => !before.includes(k)));
  });

  it('re-issues only ID tokens the pool signed for this client', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT({ token_use: 'id', sub: 'x', 'cognito:username': 'mallory' })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(poolIssuer())
      .setAudience(client.clientId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const mint = (poolIdToken: string, clientId = client.clientId) =>
      rt.idTokens!.mint({ poolId, clientId, issuer: porticoIssuer(), poolIdToken, accessToken: 'a', nonce: 'n', authTime: 1 });
    await expect(mint(forged)).rejects.toBeInstanceOf(PoolTokenRejected);
    // Portico's own ID token is not the pool's.
    await expect(mint(firstIdToken)).rejects.toBeInstanceOf(PoolTokenRejected);
    const fromPool = await t.publicClient().send(
      new GetTokensFromRefreshTokenCommand({ ClientId: client.clientId, ClientSecret: client.secret, RefreshToken: refreshToken }),
    );
    const genuine = fromPool.AuthenticationResult!.IdToken!;
    await expect(mint(genuine, 'someotherclient')).rejects.toBeInstanceOf(PoolTokenRejected);
    const minted = await mint(genuine);
    expect((await jwtVerify(minted, await porticoKeys(), { issuer: porticoIssuer(), audience: client.clientId })).payload.nonce).toBe('n');
  });
});

describe('AWS mode uses the SDK client as configured', () => {
  it('builds a network client for the region with no explicit credentials', async () => {
    const c = rt.cognito as CognitoIdentityProviderClient;
    expect(await c.config.region()).toBe('us-east-1');
    const creds = await c.config.credentials();
    expect(creds.accessKeyId).toBe(t.admin.keyId);
  });
});
