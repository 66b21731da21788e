import fs from 'node:fs';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { runStartScript, startNextServer, waitFor, type NextServer } from '../helpers/next-server';

/**
 * The runtime contract of the built app: the Cognito API at POST / through the proxy, the pool's public
 * documents, admin and health endpoints, security headers, and what the first start creates.
 */
const TARGET = 'AWSCognitoIdentityProviderService.';

async function rawCall(server: NextServer, operation: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}${operation}`, ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected the call to fail');
}

describe('the Next app (demo off)', () => {
  let server: NextServer;
  let poolId: string;

  beforeAll(async () => {
    server = await startNextServer({ env: { PORTICO_DEMO: 'off' } });
    const created = await server.adminClient().send(
      new CreateUserPoolCommand({ PoolName: 'next-api', AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }),
    );
    poolId = created.UserPool!.Id!;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('runs a signed admin operation through POST /', async () => {
    const list = await server.adminClient().send(new ListUserPoolsCommand({ MaxResults: 10 }));
    expect(list.UserPools?.map((p) => p.Id)).toContain(poolId);
    expect(poolId).toMatch(/^us-east-1_[0-9A-Za-z]+$/);
  });

  it('refuses an admin operation signed with the wrong secret', async () => {
    const wrong = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: server.url,
      maxAttempts: 1,
      credentials: { accessKeyId: server.admin.keyId, secretAccessKey: 'definitely-not-the-secret' },
    });
    const err = await errorOf(wrong.send(new ListUserPoolsCommand({ MaxResults: 10 })));
    wrong.destroy();
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.message).toMatch(/^The request signature we calculated does not match/);
  });

  it('refuses an unsigned admin operation', async () => {
    const res = await rawCall(server, 'ListUserPools', '{"MaxResults":10}');
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('MissingAuthenticationTokenException');
  });

  it('answers a public operation without a signature', async () => {
    const res = await rawCall(server, 'SignUp', JSON.stringify({ ClientId: 'nosuchclient000000000000a', Username: 'x', Password: 'Passw0rd!' }));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool client nosuchclient000000000000a does not exist.' });
    // The SDK with non-admin credentials reaches the same operation.
    const err = await errorOf(
      server.publicClient().send(new SignUpCommand({ ClientId: 'nosuchclient000000000000a', Username: 'x', Password: 'Passw0rd!' })),
    );
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('answers the CORS preflight for the Cognito API', async () => {
    const res = await fetch(`${server.url}/`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('x-amz-target');
  });

  it('answers malformed JSON with SerializationException, never a 500', async () => {
    const res = await rawCall(server, 'SignUp', '{"ClientId": ');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ __type: 'SerializationException', message: 'The request body is not valid JSON.' });
  });

  it('answers an oversized body with SerializationException', async () => {
    const res = await rawCall(server, 'SignUp', `{"ClientId":"${'a'.repeat(1024 * 1024)}"}`);
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('SerializationException');
  });

  it('answers a POST / without X-Amz-Target as the API, not the home page', async () => {
    const res = await fetch(`${server.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('refuses direct requests to the internal Cognito route, even with the proxy marker', async () => {
    for (const headers of [{}, { 'x-portico-internal': '1' }] as Record<string, string>[]) {
      const res = await fetch(`${server.url}/api/cognito`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}SignUp`, ...headers },
        body: '{}',
      });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('__type');
    }
  });

  it('serves the pool JWKS with CORS and caching', async () => {
    const res = await fetch(`${server.url}/${poolId}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const body = (await res.json()) as { keys: Array<Record<string, string>> };
    expect(body.keys).toHaveLength(2);
    for (const key of body.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      expect(key.kid).toBeTruthy();
      expect(key.n.length).toBeGreaterThan(300);
      expect(key).not.toHaveProperty('d');
    }
  });

  it('serves the discovery document with the issuer and hosted endpoints', async () => {
    const res = await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: `${server.url}/${poolId}`,
      authorization_endpoint: `${server.url}/oauth2/authorize`,
      token_endpoint: `${server.url}/oauth2/token`,
      userinfo_endpoint: `${server.url}/oauth2/userInfo`,
      revocation_endpoint: `${server.url}/oauth2/revoke`,
      end_session_endpoint: `${server.url}/logout`,
      jwks_uri: `${server.url}/${poolId}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'phone', 'profile']));
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
  });

  it('answers 404 JSON for an unknown or malformed pool', async () => {
    for (const id of ['us-east-1_doesnotexist', 'not-a-pool-id']) {
      for (const doc of ['jwks.json', 'openid-configuration']) {
        const res = await fetch(`${server.url}/${id}/.well-known/${doc}`);
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({ error: 'not_found', message: `User pool ${id} does not exist.` });
      }
    }
  });

  it('guards /dev/outbox with HTTP Basic and lists messages newest first', async () => {
    const anonymous = await fetch(`${server.url}/dev/outbox`, { headers: { accept: 'application/json' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`${server.url}/dev/outbox`, {
      headers: { accept: 'application/json', authorization: `Basic ${Buffer.from(`${server.admin.keyId}:nope`).toString('base64')}` },
    });
    expect(wrong.status).toBe(401);

    const admin = server.adminClient();
    for (const name of ['first', 'second']) {
      await admin.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: `outbox-${name}`,
          UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    }
    const res = await fetch(`${server.url}/dev/outbox`, { headers: { accept: 'application/json', authorization: server.basicAuth() } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const messages = (await res.json()) as Array<Record<string, unknown>>;
    const mine = messages.filter((m) => m.poolId === poolId);
    expect(mine.map((m) => m.to)).toEqual(['second@example.com', 'first@example.com']);
    expect(Object.keys(mine[0]).sort()).toEqual(['attempts', 'createdAt', 'hasHtml', 'id', 'lastError', 'medium', 'poolId', 'sentAt', 'status', 'subject', 'text', 'to']);
    expect(mine[0]).toMatchObject({ medium: 'EMAIL' });
    expect(String(mine[0].text)).toContain('outbox-second');

    const html = await fetch(`${server.url}/dev/outbox`, { headers: { authorization: server.basicAuth(), 'accept-language': 'es' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain('<html lang="es" dir="ltr">');
    expect(page).toContain('Bandeja de salida');
    expect(page).toContain('second@example.com');
    // Delivery state per message, and a link to its HTML part.
    expect(mine[0]).toMatchObject({ attempts: 0, lastError: null, sentAt: null, hasHtml: true });
    expect(['queued', 'outbox']).toContain(mine[0].status);
    expect(page).toContain('Intentos fallidos');
    expect(page).toContain(`/dev/outbox?id=${String(mine[0].id)}&amp;part=html`);

    const part = await fetch(`${server.url}/dev/outbox?id=${String(mine[0].id)}&part=html`, { headers: { authorization: server.basicAuth() } });
    expect(part.status).toBe(200);
    expect(part.headers.get('content-type')).toMatch(/^text\/html/);
    // Shown sandboxed: one policy, with sandbox and no script source (not the pages' nonce policy).
    const csp = part.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^sandbox;/);
    expect(csp).not.toContain('script-src');
    expect(csp).toContain("default-src 'none'");
    const partHtml = await part.text();
    expect(partHtml).toContain('<html lang="en" dir="ltr">');
    expect(partHtml).toContain('outbox-second');
    expect(partHtml).not.toContain('<script');
    const unauthorized = await fetch(`${server.url}/dev/outbox?id=${String(mine[0].id)}&part=html`);
    expect(unauthorized.status).toBe(401);
    expect((await fetch(`${server.url}/dev/outbox?id=nope&part=html`, { headers: { authorization: server.basicAuth() } })).status).toBe(404);
  });

  it('sends security headers and a per-request CSP nonce on pages', async () => {
    const a = await fetch(`${server.url}/`);
    const b = await fetch(`${server.url}/`);
    const csp = a.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(b.headers.get('content-security-policy')).not.toBe(csp);
    expect(a.headers.get('x-frame-options')).toBe('DENY');
    expect(a.headers.get('referrer-policy')).toBe('no-referrer');
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('x-powered-by')).toBeNull();
    // http PORTICO_URL: no HSTS
    expect(a.headers.get('strict-transport-security')).toBeNull();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    const html = await a.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it('refuses a cross-site form POST with a translated 403 page', async () => {
    const res = await fetch(`${server.url}/some/form`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'es' },
      body: 'a=b',
    });
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).toContain('<html lang="es" dir="ltr">');
    expect(page).toContain('Solicitud rechazada');
    for (const origin of ['null', 'http://127.0.0.1.evil.example']) {
      const r = await fetch(`${server.url}/some/form`, { method: 'POST', headers: { origin }, body: 'a=b' });
      expect(r.status).toBe(403);
    }
    // Same origin passes the check (and meets Next's own 404 for a path with no page).
    const same = await fetch(`${server.url}/some/form`, { method: 'POST', headers: { origin: server.url }, body: 'a=b' });
    expect(same.status).toBe(404);
  });
});

describe('first start', () => {
  let server: NextServer;

  beforeAll(async () => {
    server = await startNextServer({ generatedAdmin: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates the demo, prints how to sign in and writes demo.json last', async () => {
    const file = path.join(server.dataDir, 'demo.json');
    await waitFor(
      () => {
        if (server.output().includes('demo setup failed')) throw new Error(`demo setup failed:\n${server.output()}`);
        return fs.existsSync(file) ? true : undefined;
      },
      30_000,
      'demo.json',
    );
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const demo = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    expect(demo).toMatchObject({ username: 'demo', email: 'demo@example.com', poolName: 'Portico demo' });

    const adminFile = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'admin.json'), 'utf8')) as { keyId: string; secret: string };
    expect(demo).toMatchObject({ adminKeyId: adminFile.keyId, adminSecret: adminFile.secret });
    const out = await waitFor(() => (server.output().includes(demo.password) ? server.output() : undefined), 10_000, 'the banner');
    expect(out).toContain(demo.poolId);
    expect(out).toContain(demo.clientId);
    expect(out).toContain(`PORTICO_ADMIN_KEY_ID=${adminFile.keyId}`);
    expect(out).toContain(`PORTICO_ADMIN_SECRET=${adminFile.secret}`);
    expect(out).not.toContain(demo.clientSecret);

    const admin = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: server.url,
      maxAttempts: 1,
      credentials: { accessKeyId: adminFile.keyId, secretAccessKey: adminFile.secret },
    });
    const client = await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: demo.poolId, ClientId: demo.clientId }));
    admin.destroy();
    expect(client.UserPoolClient).toMatchObject({
      ClientSecret: demo.clientSecret,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [`${server.url}/demo/api/auth/callback/portico`],
      LogoutURLs: [`${server.url}/demo`],
    });
    expect(client.UserPoolClient?.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH']),
    );

    const secretHash = createHmac('sha256', demo.clientSecret).update(`demo${demo.clientId}`).digest('base64');
    const auth = await server.publicClient().send(
      new InitiateAuthCommand({
        ClientId: demo.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'demo', PASSWORD: demo.password, SECRET_HASH: secretHash },
      }),
    );
    expect(auth.AuthenticationResult?.IdToken).toBeTruthy();
  }, 60_000);

  it('does not create a second demo on restart', async () => {
    const file = path.join(server.dataDir, 'demo.json');
    const before = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    await server.restart();
    const after = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    expect(after).toEqual(before);
    const adminFile = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'admin.json'), 'utf8')) as { keyId: string; secret: string };
    const admin = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: server.url,
      maxAttempts: 1,
      credentials: { accessKeyId: adminFile.keyId, secretAccessKey: adminFile.secret },
    });
    const pools = await admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    admin.destroy();
    expect(pools.UserPools?.filter((p) => p.Name === 'Portico demo')).toHaveLength(1);
  });
});

describe('start-up settings', () => {
  it('refuses to start with a bad setting and names it', async () => {
    const port = await runStartScript({ PORT: 'abc' });
    expect(port.code).not.toBe(0);
    expect(port.output).toMatch(/PORT:/);
    const url = await runStartScript({ PORTICO_URL: 'not a url' });
    expect(url.code).not.toBe(0);
    expect(url.output).toMatch(/PORTICO_URL:/);
  });

  it('stays up but not ready when the database is unreachable', async () => {
    const server = await startNextServer({ env: { PORTICO_DEMO: 'off', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/portico' } });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', database: 'unreachable', pool: 'unreachable' });
      const api = await rawCall(server, 'SignUp', '{}');
      expect(api.status).toBe(500);
      expect(api.json).toEqual({ __type: 'InternalErrorException', message: 'Internal server error.' });
      expect(server.output()).toContain('engine failed to start');
    } finally {
      await server.close();
    }
  });

  it('keeps the demo off with PORTICO_DEMO=off', async () => {
    const server = await startNextServer({ env: { PORTICO_DEMO: 'off' } });
    try {
      const pools = await server.adminClient().send(new ListUserPoolsCommand({ MaxResults: 60 }));
      expect(pools.UserPools ?? []).toHaveLength(0);
      expect(fs.existsSync(path.join(server.dataDir, 'demo.json'))).toBe(false);
      expect(server.output()).not.toContain('demo user pool');
    } finally {
      await server.close();
    }
  });
});
