import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startNextServer, waitFor, type NextServer } from '../helpers/next-server';

/**
 * The hosted sign-in through the BUILT app over HTTP: proxy.ts routes each form POST to its page's
 * handler and GET /login without a transaction to the authorization endpoint, refuses the internal
 * handler paths (also with a forged mark), refuses cross-site form posts except to /oauth2/authorize,
 * and every page and answer is `Cache-Control: no-store`.
 */
let server: NextServer;
let clientId: string;
const CALLBACK = 'http://localhost:9/cb';
const PASSWORD = 'Corr3ct-Horse!';

beforeAll(async () => {
  server = await startNextServer({ env: { PORTICO_DEMO: 'off' } });
  const admin = server.adminClient();
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'hosted-next' }))).UserPool!.Id!;
  clientId = (
    await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    )
  ).UserPoolClient!.ClientId!;
  await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS' }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: PASSWORD, Permanent: true }));
  // The hosted front learns about new clients on its next client-map rebuild (at most every 2 s).
  await waitFor(async () => {
    const res = await fetch(`${server.url}/oauth2/authorize?client_id=${clientId}`, { redirect: 'manual' });
    return (await res.text()).includes('invalid_client') ? undefined : true;
  }, 10_000, 'the new client');
}, 120_000);
afterAll(async () => server?.close());

const authorizeQuery = () => new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'S' });

function cookieOf(res: Response, name: string): string | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return line?.split(';')[0];
}

async function startTransaction(path = '/oauth2/authorize'): Promise<{ cookie: string; page: string }> {
  const res = await fetch(`${server.url}${path}?${authorizeQuery()}`, { redirect: 'manual' });
  expect(res.status).toBe(303);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return { cookie: cookieOf(res, 'portico_browser')!, page: res.headers.get('location')! };
}

async function formOf(page: string, cookie: string): Promise<{ html: string; csrf: string; action: string; res: Response }> {
  const res = await fetch(`${server.url}${page}`, { headers: { cookie }, redirect: 'manual' });
  const html = await res.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const action = (/<form[^>]*action="([^"]+)" method="post"/.exec(html)?.[1] ?? '').replace(/&amp;/g, '&');
  return { html, csrf, action, res };
}

const post = (path: string, body: Record<string, string>, headers: Record<string, string>) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, ...headers },
    body: new URLSearchParams(body),
    redirect: 'manual',
  });

describe('the sign-in over HTTP', () => {
  it('authorize → the form (no-store, CSRF field, posting to itself) → POST /login → 303 to the callback with code, state and iss', async () => {
    const { cookie, page } = await startTransaction();
    expect(page).toMatch(/^\/login\?tx=[\w-]+$/);
    const form = await formOf(page, cookie);
    expect(form.res.status).toBe(200);
    expect(form.res.headers.get('cache-control')).toBe('no-store');
    expect(form.res.headers.get('x-frame-options')).toBe('DENY');
    expect(form.action).toBe(page);
    expect(form.csrf).toMatch(/^[\w-]{43}$/);
    expect(form.html).toContain('autoComplete="current-password"');

    const res = await post(page, { csrf: form.csrf, username: 'alice', password: PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    expect(to.searchParams.get('state')).toBe('S');
    expect(to.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
    expect(cookieOf(res, 'portico_session')).toBeTruthy();
  });

  it('GET /login with the authorize parameters starts a transaction like /oauth2/authorize; without any, a translated 400 page', async () => {
    const { page } = await startTransaction('/login');
    expect(page).toMatch(/^\/login\?tx=/);
    const bare = await fetch(`${server.url}/login`, { headers: { 'accept-language': 'es' }, redirect: 'manual' });
    expect(bare.status).toBe(400);
    expect(bare.headers.get('location')).toBeNull();
    expect(await bare.text()).toContain('Solicitud de inicio de sesión no válida');
  });

  it('a step page for another step sends the browser to the current one; a transaction without its cookie to the expired page', async () => {
    const { cookie, page } = await startTransaction();
    const tx = new URL(page, server.url).searchParams.get('tx')!;
    const wrongStep = await fetch(`${server.url}/mfa?tx=${tx}`, { headers: { cookie }, redirect: 'manual' });
    expect(wrongStep.headers.get('location')).toBe(`/login?tx=${tx}`);
    const stranger = await fetch(`${server.url}/login?tx=${tx}`, { redirect: 'manual' });
    expect(stranger.headers.get('location')).toBe('/error?error=expired');
    const error = await fetch(`${server.url}/error?error=expired&ui_locales=ar`);
    expect(error.headers.get('cache-control')).toBe('no-store');
    const html = await error.text();
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('انتهت صلاحية تسجيل الدخول');
  });

  it('the form handlers are reachable only through the page paths, also with a forged mark', async () => {
    const { cookie, page } = await startTransaction();
    const { csrf } = await formOf(page, cookie);
    const tx = new URL(page, server.url).searchParams.get('tx')!;
    const attempts: Array<Record<string, string>> = [{ cookie }, { cookie, 'x-portico-hosted': '1' }];
    for (const headers of attempts) {
      const direct = await post(`/api/hosted/login?tx=${tx}`, { csrf, username: 'alice', password: PASSWORD }, headers);
      expect(direct.status).toBe(404);
    }
  });

  it('a cross-site POST to a form gets the 403 page; one to /oauth2/authorize is an authorization request', async () => {
    const { cookie, page } = await startTransaction();
    const { csrf } = await formOf(page, cookie);
    const foreign = await post(page, { csrf, username: 'alice', password: PASSWORD }, { cookie, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const authorize = await fetch(`${server.url}/oauth2/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://app.example' },
      body: authorizeQuery(),
      redirect: 'manual',
    });
    expect(authorize.status).toBe(303);
    expect(authorize.headers.get('location')).toMatch(/^\/login\?tx=/);
  });

  it('a wrong CSRF token is a translated 403 page', async () => {
    const { cookie, page } = await startTransaction();
    const res = await post(page, { csrf: 'forged', username: 'alice', password: PASSWORD }, { cookie, 'accept-language': 'es' });
    expect(res.status).toBe(403);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await res.text()).toContain('Solicitud rechazada');
  });
});
