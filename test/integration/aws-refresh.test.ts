import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpOut } from '../../lib/hosted/http';
import { handleAuthorize } from '../../lib/hosted/authorize';
import { handleSignIn } from '../../lib/hosted/signin';
import { csrfToken } from '../../lib/hosted/csrf';
import { cookieNames } from '../../lib/hosted/cookies';
import { handleToken } from '../../lib/oauth/token';
import { sweepHosted } from '../../lib/hosted/sweep';
import { putDomain } from '../../lib/domains/store';
import { BASE_URL_HEADER } from '../../lib/domains/header';
import { BASE, CALLBACK, PASSWORD, httpIn, makeOAuthClient, makeOAuthPool, makeUser, pkcePair } from './hosted-fixtures';
import { basic } from './oauth-fixtures';
import { startAwsMode, type AwsMode } from './aws-fixtures';

/**
 * AWS mode refreshes (issue 6): Amazon Cognito's refresh token remembers neither the scopes granted at
 * /oauth2/authorize nor the custom domain the sign-in ran on. The hosted front records both at sign-in
 * (keyed by the refresh token's digest), sends the scopes to GetTokensFromRefreshToken as ClientMetadata
 * — so the pool's Pre Token Generation V2 trigger (Portico's lambda/pre-token.ts, run by the engine as
 * Cognito would) shapes the refreshed tokens like the first ones — and re-issues the ID token under the
 * issuer of the sign-in (OIDC Core §12.2). The pool is the embedded engine behind its own HTTP server and
 * database, reached over SigV4 exactly as Amazon Cognito would be.
 */
const DOMAIN = 'auth.localhost';
const DOMAIN_BASE = 'http://auth.localhost:3303';
const PRE_TOKEN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:portico-pre-token';

let t: TestPool;
let aws: AwsMode;
let rt: HostedRuntime;
let poolId: string;
let web: { clientId: string; secret?: string };
let rotating: { clientId: string; secret?: string };

const primaryIssuer = () => `${BASE}/${poolId}`;
const domainIssuer = () => `${DOMAIN_BASE}/${poolId}`;
const siteHeaders = (onDomain: boolean): Record<string, string> => (onDomain ? { [BASE_URL_HEADER]: DOMAIN_BASE } : {});

beforeAll(async () => {
  t = await startTestPool();
  poolId = await makeOAuthPool(t, { LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: PRE_TOKEN_ARN } } });
  web = await makeOAuthClient(t, poolId);
  rotating = await makeOAuthClient(t, poolId, {
    ClientName: 'rotating',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
  });
  await makeUser(t, poolId, 'ada', { attributes: { email: 'ada@example.com', email_verified: 'true', given_name: 'Ada' } });
  aws = await startAwsMode(t, [poolId]);
  rt = aws.rt;
  await putDomain(rt.db, { host: DOMAIN, poolId, baseUrl: DOMAIN_BASE }, t.clock.now());
});

afterAll(async () => {
  await aws?.close();
  await t?.close();
});

type Tokens = Record<string, string>;

/** A whole hosted sign-in (SRP, so it ends in RespondToAuthChallenge) and the code's redemption, on one site. */
async function signIn(o: { onDomain: boolean; scope: string; client?: { clientId: string; secret?: string } }): Promise<Tokens> {
  const client = o.client ?? web;
  const headers = siteHeaders(o.onDomain);
  const cookies: Record<string, string> = {};
  const keep = (out: HttpOut) => {
    for (const c of out.cookies ?? []) {
      const [pair] = c.split(';');
      cookies[pair!.slice(0, pair!.indexOf('='))] = pair!.slice(pair!.indexOf('=') + 1);
    }
    return out;
  };
  const pkce = pkcePair();
  const params = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: o.scope,
    state: 'S',
    nonce: 'N',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
  });
  const started = keep(await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${params}`, { headers })));
  expect(started.status, started.body).toBe(303);
  const tx = new URL(started.headers['location']!, BASE).searchParams.get('tx')!;
  const browser = cookies[cookieNames(false).browser]!;
  const done = await handleSignIn(
    rt,
    httpIn('POST', `/login?tx=${tx}`, { body: { username: 'ada', password: PASSWORD, csrf: csrfToken(rt, browser, tx) }, cookies, headers }),
  );
  expect(done.status, done.body).toBe(303);
  const to = new URL(done.headers['location']!);
  expect(`${to.origin}${to.pathname}`, to.href).toBe(CALLBACK);
  expect(to.searchParams.get('iss')).toBe(o.onDomain ? domainIssuer() : primaryIssuer());
  const res = await handleToken(
    rt,
    httpIn('POST', '/oauth2/token', {
      body: { grant_type: 'authorization_code', code: to.searchParams.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier },
      headers: { authorization: basic(client.clientId, client.secret!), ...headers },
    }),
  );
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as Tokens;
}

async function refresh(refreshToken: string, o: { onDomain: boolean; client?: { clientId: string; secret?: string } }): Promise<Tokens> {
  const client = o.client ?? web;
  const res = await handleToken(
    rt,
    httpIn('POST', '/oauth2/token', {
      body: { grant_type: 'refresh_token', refresh_token: refreshToken },
      headers: { authorization: basic(client.clientId, client.secret!), ...siteHeaders(o.onDomain) },
    }),
  );
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as Tokens;
}

/** Verified against Portico's JWKS (what relying parties use in AWS mode) with the expected issuer. */
async function idClaims(idToken: string, issuer: string, clientId = web.clientId): Promise<Record<string, unknown>> {
  const keys = createLocalJWKSet((await rt.jwks(poolId)) as unknown as JSONWebKeySet);
  return (await jwtVerify(idToken, keys, { issuer, audience: clientId, currentDate: new Date(t.clock.now()) })).payload;
}

const scopeOf = (accessToken: string) => String(decodeJwt(accessToken).scope);

describe('AWS mode: a refresh keeps the issuer of the sign-in', () => {
  it('a sign-in on a custom domain: refreshes on the domain and on PORTICO_URL both keep the domain’s iss', async () => {
    const tokens = await signIn({ onDomain: true, scope: 'openid email' });
    const first = await idClaims(tokens.id_token!, domainIssuer());
    const onDomain = await refresh(tokens.refresh_token!, { onDomain: true });
    expect((await idClaims(onDomain.id_token!, domainIssuer())).sub).toBe(first.sub);
    const onPrimary = await refresh(tokens.refresh_token!, { onDomain: false });
    expect((await idClaims(onPrimary.id_token!, domainIssuer())).sub).toBe(first.sub);
  });

  it('a sign-in on PORTICO_URL keeps PORTICO_URL’s iss when refreshed through a domain', async () => {
    const tokens = await signIn({ onDomain: false, scope: 'openid email' });
    await idClaims(tokens.id_token!, primaryIssuer());
    await idClaims((await refresh(tokens.refresh_token!, { onDomain: true })).id_token!, primaryIssuer());
  });

  it('a refresh token Portico holds no record of gets the issuer of the site the refresh came in on', async () => {
    const tokens = await signIn({ onDomain: true, scope: 'openid email' });
    // As for a refresh token issued before Portico kept records.
    await rt.db.withTables<{ aws_refresh_context: { token_digest: string } }>().deleteFrom('aws_refresh_context').execute();
    await idClaims((await refresh(tokens.refresh_token!, { onDomain: true })).id_token!, domainIssuer());
    await idClaims((await refresh(tokens.refresh_token!, { onDomain: false })).id_token!, primaryIssuer());
  });
});

describe('AWS mode: a refresh keeps the scope shaping of the sign-in', () => {
  it('the pool’s Pre Token Generation trigger gets portico:scope on refresh: the access token keeps the granted scopes, the ID token the released claims', async () => {
    const tokens = await signIn({ onDomain: false, scope: 'openid email' });
    expect(scopeOf(tokens.access_token!)).toBe('openid email');
    const signedIn = await idClaims(tokens.id_token!, primaryIssuer());
    expect(signedIn.email).toBe('ada@example.com');
    expect(signedIn.given_name).toBeUndefined();

    const refreshed = await refresh(tokens.refresh_token!, { onDomain: false });
    // Without ClientMetadata the trigger would leave the pool's API scope (aws.cognito.signin.user.admin).
    expect(scopeOf(refreshed.access_token!)).toBe('openid email');
    const again = await idClaims(refreshed.id_token!, primaryIssuer());
    expect(again.email).toBe('ada@example.com');
    expect(again.given_name).toBeUndefined();
  });

  it('a wider grant stays wider: profile releases given_name on refresh too', async () => {
    const tokens = await signIn({ onDomain: true, scope: 'openid profile' });
    const refreshed = await refresh(tokens.refresh_token!, { onDomain: true });
    expect(scopeOf(refreshed.access_token!)).toBe('openid profile');
    expect((await idClaims(refreshed.id_token!, domainIssuer())).given_name).toBe('Ada');
  });

  it('a rotating client’s new refresh token carries the record on: its refresh is shaped and keeps the domain', async () => {
    const tokens = await signIn({ onDomain: true, scope: 'openid email', client: rotating });
    const second = await refresh(tokens.refresh_token!, { onDomain: true, client: rotating });
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    const third = await refresh(second.refresh_token!, { onDomain: false, client: rotating });
    expect(scopeOf(third.access_token!)).toBe('openid email');
    await idClaims(third.id_token!, domainIssuer(), rotating.clientId);
  });

  it('the record holds a digest of the refresh token, never the token, and is swept once the token has expired', async () => {
    const tokens = await signIn({ onDomain: false, scope: 'openid' });
    const table = rt.db.withTables<{ aws_refresh_context: { token_digest: string; scopes: string; expires_at: number } }>();
    const rows = await table.selectFrom('aws_refresh_context').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(tokens.refresh_token!);
    // The client's refresh tokens live 30 days (Cognito's default).
    const newest = Math.max(...rows.map((r) => Number(r.expires_at)));
    expect(newest - t.clock.now()).toBeGreaterThan(29 * 86_400_000);
    expect(newest - t.clock.now()).toBeLessThanOrEqual(30 * 86_400_000);

    await sweepHosted(rt);
    expect(await table.selectFrom('aws_refresh_context').selectAll().execute()).toHaveLength(rows.length);
    t.clock.advance(30 * 86_400_000 + 1000);
    await sweepHosted(rt);
    expect(await table.selectFrom('aws_refresh_context').selectAll().execute()).toHaveLength(0);
  });
});
