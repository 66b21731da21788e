import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpIn, HttpOut } from '../../lib/hosted/http';
import { handleAuthorize } from '../../lib/hosted/authorize';
import { handleSignIn } from '../../lib/hosted/signin';
import { handleToken } from '../../lib/oauth/token';
import { handleUserInfo } from '../../lib/oauth/userinfo';
import { csrfToken } from '../../lib/hosted/csrf';
import { cookieNames } from '../../lib/hosted/cookies';
import { discoveryDocument } from '../../lib/oauth/discovery';
import { jwks } from '../../lib/userpool/tokens';
import { domainEndpoint, domainsListEndpoint } from '../../lib/domains/admin-api';
import { BASE_URL_HEADER } from '../../lib/domains/header';
import { documentSite, unknownPool } from '../../app/[poolId]/.well-known/documents';
import { CALLBACK, PASSWORD, decodeJwt, httpIn, makeOAuthClient, makeOAuthPool, makeUser } from './hosted-fixtures';

/**
 * Custom domains (lib/domains) in-process, on SQLite and PostgreSQL: the admin API; discovery and keys
 * per domain; a whole hosted sign-in through a domain whose tokens carry its issuer and verify against
 * its JWKS; refresh keeps that issuer; another pool's client is unknown on the domain; a direct API
 * caller cannot make up an issuer. The request's base URL arrives as the server would set it.
 */
const DOMAIN = 'auth.localhost';
const BASE = 'http://auth.localhost:3303';

let t: TestPool;
let rt: HostedRuntime;
let poolA: string;
let poolB: string;
let web: { clientId: string; secret?: string };
let other: { clientId: string; secret?: string };
let api: { clientId: string };

const admin = () => `Basic ${Buffer.from(`${t.admin.keyId}:${t.admin.secret}`).toString('base64')}`;
const onDomain = (h: Record<string, string> = {}) => ({ [BASE_URL_HEADER]: BASE, ...h });

function adminCall(method: string, host: string, body?: unknown, auth = admin()): Promise<HttpOut> {
  const req: HttpIn = {
    method,
    url: new URL(`/admin/domains/${host}`, t.url),
    headers: new Headers(auth ? { authorization: auth } : {}),
    body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    cookies: {},
  };
  return domainEndpoint(rt, req, host);
}

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  poolA = await makeOAuthPool(t);
  poolB = await makeOAuthPool(t, { PoolName: 'other' });
  web = await makeOAuthClient(t, poolA, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH'] });
  api = await makeOAuthClient(t, poolA, { ClientName: 'api', GenerateSecret: false, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  other = await makeOAuthClient(t, poolB);
  await makeUser(t, poolA, 'alice', { attributes: { email: 'alice@example.com', email_verified: 'true' } });
});
afterAll(async () => t?.close());

describe('admin API /admin/domains/{host}', () => {
  it('needs the admin credentials', async () => {
    const out = await adminCall('GET', DOMAIN, undefined, '');
    expect(out.status).toBe(401);
    expect(out.headers['www-authenticate']).toMatch(/^Basic /);
    expect((await adminCall('GET', DOMAIN, undefined, `Basic ${Buffer.from(`${t.admin.keyId}:wrong`).toString('base64')}`)).status).toBe(401);
  });

  it('validates the host, the document, the pool and the default client', async () => {
    expect((await adminCall('PUT', 'auth.localhost:3303', { poolId: poolA })).status).toBe(400);
    expect((await adminCall('PUT', DOMAIN, '{nope')).status).toBe(400);
    const extra = await adminCall('PUT', DOMAIN, { poolId: poolA, theme: 'x' });
    expect(extra.status).toBe(400);
    expect(JSON.parse(extra.body)).toMatchObject({ error: 'invalid_domain' });
    expect((await adminCall('PUT', DOMAIN, { poolId: 'us-east-1_Missing1' })).status).toBe(400);
    expect((await adminCall('PUT', DOMAIN, { poolId: poolA, baseUrl: 'http://elsewhere.localhost:3303' })).status).toBe(400);
    expect((await adminCall('PUT', DOMAIN, { poolId: poolA, baseUrl: `${BASE}/path` })).status).toBe(400);
    expect((await adminCall('PUT', DOMAIN, { poolId: poolA, defaultClientId: other.clientId })).status).toBe(400);
    expect((await adminCall('PUT', '127.0.0.1', { poolId: poolA })).status).toBe(400);
    expect((await adminCall('PATCH', DOMAIN, { poolId: poolA })).status).toBe(405);
  });

  it('round trip: PUT, GET, list, DELETE', async () => {
    const put = await adminCall('PUT', 'Temp.Localhost', { poolId: poolB });
    expect(put.status).toBe(200);
    expect(JSON.parse(put.body)).toEqual({ host: 'temp.localhost', poolId: poolB, baseUrl: 'https://temp.localhost' });
    expect(JSON.parse((await adminCall('GET', 'temp.localhost')).body)).toMatchObject({ poolId: poolB });
    const list = await domainsListEndpoint(rt, { method: 'GET', url: new URL('/admin/domains', t.url), headers: new Headers({ authorization: admin() }), body: '', cookies: {} });
    expect(JSON.parse(list.body).domains.map((d: { host: string }) => d.host)).toContain('temp.localhost');
    expect((await adminCall('DELETE', 'temp.localhost')).status).toBe(204);
    expect((await adminCall('GET', 'temp.localhost')).status).toBe(404);
    expect((await adminCall('DELETE', 'temp.localhost')).status).toBe(404);

    const domain = await adminCall('PUT', DOMAIN, { poolId: poolA, baseUrl: BASE, defaultClientId: web.clientId });
    expect(domain.status).toBe(200);
    expect(JSON.parse(domain.body)).toEqual({ host: DOMAIN, poolId: poolA, baseUrl: BASE, defaultClientId: web.clientId });
  });
});

describe('a custom domain serves its pool', () => {
  const authorizeParams = (clientId: string) =>
    new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email', state: 'S', nonce: 'N' });

  async function signInOnDomain(): Promise<URL> {
    const cookies: Record<string, string> = {};
    const keep = (out: HttpOut) => {
      for (const c of out.cookies ?? []) {
        const [pair] = c.split(';');
        cookies[pair!.slice(0, pair!.indexOf('='))] = pair!.slice(pair!.indexOf('=') + 1);
      }
      return out;
    };
    const started = keep(await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${authorizeParams(web.clientId)}`, { headers: onDomain() })));
    expect(started.status).toBe(303);
    const tx = new URL(started.headers['location']!, BASE).searchParams.get('tx')!;
    const browser = cookies[cookieNames(false).browser]!;
    const out = await handleSignIn(
      rt,
      httpIn('POST', `/login?tx=${tx}`, { body: { username: 'alice', password: PASSWORD, csrf: csrfToken(rt, browser, tx) }, cookies, headers: onDomain() }),
    );
    expect(out.status).toBe(303);
    return new URL(out.headers['location']!);
  }

  it('discovery and JWKS: issuer and endpoints on the domain; another pool is not found there', async () => {
    const req = new Request(`${BASE}/${poolA}/.well-known/openid-configuration`, { headers: onDomain() });
    const site = await documentSite(t.engine.deps, req);
    expect(site.baseUrl).toBe(BASE);
    expect(await unknownPool(t.engine.deps, poolA, site)).toBeUndefined();
    const doc = discoveryDocument(site.baseUrl, poolA);
    expect(doc).toMatchObject({
      issuer: `${BASE}/${poolA}`,
      jwks_uri: `${BASE}/${poolA}/.well-known/jwks.json`,
      authorization_endpoint: `${BASE}/oauth2/authorize`,
      token_endpoint: `${BASE}/oauth2/token`,
      end_session_endpoint: `${BASE}/logout`,
    });
    expect((await unknownPool(t.engine.deps, poolB, site))?.status).toBe(404);
    // On PORTICO_URL every pool is served, as before.
    const primary = await documentSite(t.engine.deps, new Request(`${t.url}/${poolB}/.well-known/openid-configuration`));
    expect(primary.baseUrl).toBe(t.url);
    expect(await unknownPool(t.engine.deps, poolB, primary)).toBeUndefined();
    // A base URL nobody registered counts as the primary site: it cannot make up an issuer.
    const forged = await documentSite(t.engine.deps, new Request(`${t.url}/x`, { headers: { [BASE_URL_HEADER]: 'https://evil.example' } }));
    expect(forged.baseUrl).toBe(t.url);
  });

  it('a hosted sign-in through the domain gives tokens with its issuer, verified against its JWKS; refresh keeps it', async () => {
    const back = await signInOnDomain();
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('iss')).toBe(`${BASE}/${poolA}`);
    const res = await handleToken(
      rt,
      httpIn('POST', '/oauth2/token', {
        body: { grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: CALLBACK, client_id: web.clientId, client_secret: web.secret! },
        headers: onDomain(),
      }),
    );
    expect(res.status).toBe(200);
    const tokens = JSON.parse(res.body) as { id_token: string; access_token: string; refresh_token: string };
    const keys = createLocalJWKSet((await jwks(t.engine.deps, poolA)) as unknown as JSONWebKeySet);
    const id = await jwtVerify(tokens.id_token, keys, { issuer: `${BASE}/${poolA}`, audience: web.clientId, currentDate: new Date(t.clock.now()) });
    expect(id.payload).toMatchObject({ nonce: 'N', email: 'alice@example.com' });
    await jwtVerify(tokens.access_token, keys, { issuer: `${BASE}/${poolA}`, currentDate: new Date(t.clock.now()) });

    // userinfo (the pool's GetUser) accepts the domain's issuer.
    const info = await handleUserInfo(rt, httpIn('GET', '/oauth2/userInfo', { headers: onDomain({ authorization: `Bearer ${tokens.access_token}` }) }));
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ email: 'alice@example.com' });

    // Refresh, on the domain or on PORTICO_URL: the family keeps the issuer it was minted with.
    for (const headers of [onDomain(), {}]) {
      const refreshed = await handleToken(
        rt,
        httpIn('POST', '/oauth2/token', {
          body: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: web.clientId, client_secret: web.secret! },
          headers,
        }),
      );
      expect(refreshed.status).toBe(200);
      const again = JSON.parse(refreshed.body) as { id_token: string; access_token: string };
      expect(decodeJwt(again.id_token)['iss']).toBe(`${BASE}/${poolA}`);
      expect(decodeJwt(again.access_token)['iss']).toBe(`${BASE}/${poolA}`);
    }
  });

  it("a direct API caller gets a domain's issuer only for a base URL registered for the pool", async () => {
    const signIn = await t.publicClient().send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: api.clientId, AuthParameters: { USERNAME: 'alice', PASSWORD }, ClientMetadata: { 'portico:base-url': BASE } }),
    );
    // A direct API caller names the domain: it is registered for this pool, so it is believed…
    expect(decodeJwt(signIn.AuthenticationResult!.IdToken!)['iss']).toBe(`${BASE}/${poolA}`);
    // …but a base URL nobody registered (or another pool's domain) is not: the primary issuer.
    for (const forged of ['https://evil.example', 'http://auth.localhost:9999']) {
      const out = await t.publicClient().send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: api.clientId, AuthParameters: { USERNAME: 'alice', PASSWORD }, ClientMetadata: { 'portico:base-url': forged } }),
      );
      expect(decodeJwt(out.AuthenticationResult!.IdToken!)['iss']).toBe(`${t.url}/${poolA}`);
    }
  });

  it("another pool's client is as unknown on the domain as a made-up one", async () => {
    const unknown = await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${authorizeParams('madeup123')}`, { headers: onDomain() }));
    const foreign = await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${authorizeParams(other.clientId)}`, { headers: onDomain() }));
    expect(foreign.status).toBe(unknown.status);
    expect(foreign.headers['location']).toBeUndefined();
    expect(foreign.status).toBe(400);
    // Even with a bad scope (a redirectable error elsewhere), nothing is sent to the foreign client's callback.
    const q = authorizeParams(other.clientId);
    q.set('scope', 'nonsense');
    expect((await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${q}`, { headers: onDomain() }))).headers['location']).toBeUndefined();
    // On PORTICO_URL the same client is fine.
    expect((await handleAuthorize(rt, httpIn('GET', `/oauth2/authorize?${authorizeParams(other.clientId)}`))).status).toBe(303);

    const token = await handleToken(
      rt,
      httpIn('POST', '/oauth2/token', {
        body: { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK, client_id: other.clientId, client_secret: other.secret! },
        headers: onDomain(),
      }),
    );
    expect(token.status).toBe(401);
    expect(JSON.parse(token.body)).toMatchObject({ error: 'invalid_client' });
  });
});
