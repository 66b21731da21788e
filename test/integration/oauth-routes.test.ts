import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startNextServer, type NextServer } from '../helpers/next-server';

/**
 * The OAuth route handlers in the built app: the thin adapters reach lib/oauth, the proxy lets
 * cross-origin callers POST to /oauth2/token and /oauth2/revoke, CORS and cache headers survive, and
 * discovery advertises what the endpoints do. (Code exchange itself is covered in-process by
 * oauth-token.test.ts and end to end by the Playwright journeys.)
 */
let server: NextServer;
let poolId: string;
let pub: string;
let conf: { id: string; secret: string };
const PASSWORD = 'Corr3ct-Horse!';

beforeAll(async () => {
  server = await startNextServer({ env: { PORTICO_DEMO: 'off' } });
  const admin = server.adminClient();
  poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'routes' }))).UserPool!.Id!;
  const oauth = {
    UserPoolId: poolId,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'] as const,
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: ['https://rp.example/cb'],
    SupportedIdentityProviders: ['COGNITO'],
  };
  pub = (await admin.send(new CreateUserPoolClientCommand({ ...oauth, ExplicitAuthFlows: [...oauth.ExplicitAuthFlows], AllowedOAuthFlows: [...oauth.AllowedOAuthFlows], ClientName: 'pub' }))).UserPoolClient!.ClientId!;
  const c = (
    await admin.send(
      new CreateUserPoolClientCommand({ ...oauth, ExplicitAuthFlows: [...oauth.ExplicitAuthFlows], AllowedOAuthFlows: [...oauth.AllowedOAuthFlows], ClientName: 'conf', GenerateSecret: true }),
    )
  ).UserPoolClient!;
  conf = { id: c.ClientId!, secret: c.ClientSecret! };
  await admin.send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ravi', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'ravi@example.com' }] }),
  );
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ravi', Password: PASSWORD, Permanent: true }));
}, 300_000);
afterAll(async () => server?.close());

async function signIn(scope?: string): Promise<AuthenticationResultType> {
  const out = await server.publicClient().send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: pub,
      AuthParameters: { USERNAME: 'ravi', PASSWORD },
      ClientMetadata: scope ? { 'portico:scope': scope } : undefined,
    }),
  );
  return out.AuthenticationResult!;
}

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const CROSS_SITE = { origin: 'https://spa.example', 'sec-fetch-site': 'cross-site' };

describe('/oauth2/token', () => {
  it('answers a cross-origin form POST with an OAuth error, CORS and no-store', async () => {
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { ...FORM, ...CROSS_SITE },
      body: form({ grant_type: 'authorization_code', code: 'bogus', redirect_uri: 'https://rp.example/cb', client_id: pub, code_verifier: 'a'.repeat(43) }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'The authorization code is invalid' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
  });

  it('401 with a Basic challenge for a wrong secret', async () => {
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { ...FORM, authorization: `Basic ${Buffer.from(`${conf.id}:wrong`).toString('base64')}` },
      body: form({ grant_type: 'refresh_token', refresh_token: 'x' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
    expect((await res.json()).error).toBe('invalid_client');
  });

  it('refreshes over HTTP for a cross-origin public client', async () => {
    const tokens = await signIn('openid email');
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { ...FORM, ...CROSS_SITE },
      body: form({ grant_type: 'refresh_token', refresh_token: tokens.RefreshToken!, client_id: pub }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(typeof body.access_token).toBe('string');
  });

  it('GET is 405, OPTIONS the preflight', async () => {
    const get = await fetch(`${server.url}/oauth2/token`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    const pre = await fetch(`${server.url}/oauth2/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://spa.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });
});

describe('/oauth2/userInfo and /oauth2/revoke', () => {
  it('userInfo answers a Bearer token with claims; refuses a query token', async () => {
    const tokens = await signIn('openid email');
    const res = await fetch(`${server.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.AccessToken}`, origin: 'https://spa.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ sub: expect.any(String), username: 'ravi', email: 'ravi@example.com' });
    const query = await fetch(`${server.url}/oauth2/userInfo?access_token=${tokens.AccessToken}`);
    expect(query.status).toBe(400);
    expect(query.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_request"/);
  });

  it('revoke: a cross-origin POST revokes; then userInfo is 401', async () => {
    const tokens = await signIn('openid');
    const res = await fetch(`${server.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { ...FORM, ...CROSS_SITE },
      body: form({ token: tokens.RefreshToken!, client_id: pub }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const after = await fetch(`${server.url}/oauth2/userInfo`, { method: 'POST', headers: { authorization: `Bearer ${tokens.AccessToken}` } });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect((await fetch(`${server.url}/oauth2/revoke`)).status).toBe(405);
  });
});

describe('discovery', () => {
  it('advertises PKCE S256, RFC 9207 iss, grants, claims and the hosted endpoints', async () => {
    const doc = (await (await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: `${server.url}/${poolId}`,
      end_session_endpoint: `${server.url}/logout`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      response_types_supported: ['code', 'token'],
      grant_types_supported: ['authorization_code', 'implicit', 'refresh_token'],
    });
    expect(doc.claims_supported).toEqual(expect.arrayContaining(['sub', 'email', 'email_verified', 'cognito:username']));
  });
});
