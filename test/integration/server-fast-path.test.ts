import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startNextServer, waitFor, type NextServer } from '../helpers/next-server';
import { WAL_COPIED, WAL_LENGTH, walIndexWord } from '../helpers/wal-index';
import { isAscii, root, serverEntry } from '../../scripts/build-state.mjs';

/**
 * Portico's own server (server.ts) answers the hot sign-in requests without Next and must look exactly
 * like the routes behind proxy.ts did: the sign-in page without Next's client runtime but with the App
 * Router's stylesheet; the same refusal page, lang cookie and nonce handling as the proxy; forged
 * marker headers ignored; oversized forms cut off; failures as translated pages or OAuth JSON; a
 * graceful SIGTERM; a bad setting named at start. It runs from a working directory outside the project,
 * as a service manager may start it: the translations are still found (lib/i18n/resources.ts reads them
 * from the project the bundle was built in), on the custom server's pages and on Next's alike.
 */
let server: NextServer;
let clientId: string;
const CALLBACK = 'http://localhost:9/cb';
const PASSWORD = 'Corr3ct-Horse!';

beforeAll(async () => {
  server = await startNextServer({ env: { PORTICO_DEMO: 'off' }, cwd: os.tmpdir() });
  const admin = server.adminClient();
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'fast-path' }))).UserPool!.Id!;
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
  await waitFor(async () => {
    const res = await fetch(`${server.url}/oauth2/authorize?client_id=${clientId}`, { redirect: 'manual' });
    return (await res.text()).includes('invalid_client') ? undefined : true;
  }, 10_000, 'the new client');
}, 120_000);
afterAll(async () => server?.close());

const authorizeQuery = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'S', ...extra });

async function startTransaction(extra: Record<string, string> = {}): Promise<{ cookie: string; page: string; res: Response }> {
  const res = await fetch(`${server.url}/oauth2/authorize?${authorizeQuery(extra)}`, { redirect: 'manual' });
  expect(res.status).toBe(303);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('portico_browser='))!.split(';')[0]!;
  return { cookie, page: res.headers.get('location')!, res };
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const nonceOfCsp = (res: Response) => /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
const stylesheetsOf = (html: string) => [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);

const post = (p: string, body: string, headers: Record<string, string>) =>
  fetch(`${server.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, redirect: 'manual' });

describe('the sign-in page from the custom server', () => {
  it("has no Next client runtime, links the App Router's own stylesheet, and puts the response's nonce on its script", async () => {
    const { cookie, page } = await startTransaction();
    const res = await fetch(`${server.url}${page}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/<script[^>]* src=/);
    const nonce = nonceOfCsp(res)!;
    expect(html).toContain(`<script nonce="${nonce}">`);

    // /error is an App Router page (Next renders it): the same stylesheet, and it is served.
    const appRouter = await (await fetch(`${server.url}/error?error=expired`)).text();
    expect(appRouter).toMatch(/<script[^>]* src="\/_next\/static\//);
    const sheets = stylesheetsOf(html);
    expect(sheets.length).toBeGreaterThan(0);
    expect(sheets).toEqual(stylesheetsOf(appRouter));
    const css = await fetch(`${server.url}${sheets[0]}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('keeps idle connections open longer than a load balancer does (no 502 from a reused connection)', async () => {
    for (const path of ['/healthz', '/oauth2/token']) {
      const res = await fetch(`${server.url}${path}`);
      await res.arrayBuffer();
      expect(res.headers.get('keep-alive')).toBe('timeout=65');
    }
  });

  it('leaves an RSC request for the page to Next', async () => {
    const { cookie, page } = await startTransaction();
    const res = await fetch(`${server.url}${page}`, { headers: { cookie, rsc: '1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/x-component/);
  });

  it('ignores forged x-portico-* headers: the locale and nonce are its own', async () => {
    const { cookie, page } = await startTransaction();
    const res = await fetch(`${server.url}${page}`, {
      headers: { cookie, 'accept-language': 'es', 'x-portico-locale': 'ar', 'x-portico-nonce': 'forged' },
    });
    const html = await res.text();
    expect(html).toContain('<html lang="es" dir="ltr">');
    expect(html).not.toContain('forged');
    expect(nonceOfCsp(res)).not.toBe('forged');
  });
});

describe('the same front door as proxy.ts', () => {
  it('a cross-site POST to /login gets the very page proxy.ts gives a cross-site POST to /mfa', async () => {
    const { cookie, page } = await startTransaction();
    const tx = new URL(page, server.url).searchParams.get('tx')!;
    const headers = { cookie, origin: 'https://evil.example', 'accept-language': 'es' };
    const fast = await post(page, 'csrf=x&username=alice&password=y', headers);
    const viaNext = await post(`/mfa?tx=${tx}`, 'csrf=x&code=123456', headers);
    expect(fast.status).toBe(403);
    expect(viaNext.status).toBe(403);
    for (const name of ['cache-control', 'content-type', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy']) {
      expect(fast.headers.get(name), name).toBe(viaNext.headers.get(name));
    }
    const normalise = async (res: Response) => (await res.text()).replaceAll(nonceOfCsp(res)!, 'NONCE');
    const body = await normalise(fast);
    expect(body).toContain('Solicitud rechazada');
    expect(body).toBe(await normalise(viaNext));
  });

  it('accepts a same-origin form post that says Origin: null (Referrer-Policy no-referrer) with Sec-Fetch-Site same-origin', async () => {
    const { cookie, page } = await startTransaction();
    const csrf = csrfOf(await (await fetch(`${server.url}${page}`, { headers: { cookie } })).text());
    const body = new URLSearchParams({ csrf, username: 'alice', password: PASSWORD }).toString();
    expect((await post(page, body, { cookie, origin: 'null' })).status).toBe(403);
    const res = await post(page, body, { cookie, origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^http:\/\/localhost:9\/cb\?code=/);
  });

  it('remembers ?lang= in the same cookie proxy.ts sets', async () => {
    const { res } = await startTransaction({ lang: 'es' });
    const viaNext = await fetch(`${server.url}/error?error=expired&lang=es`);
    const langCookie = (r: Response) => r.headers.getSetCookie().find((c) => c.startsWith('lang='))?.replace(/Expires=[^;]+; /, '');
    expect(langCookie(res)).toBe('lang=es; Path=/; Max-Age=31536000; HttpOnly; SameSite=lax');
    expect(langCookie(res)).toBe(langCookie(viaNext));
  });

  it('cuts an oversized form at 64 KiB, answers it and closes the connection', async () => {
    const { cookie, page } = await startTransaction();
    const csrf = csrfOf(await (await fetch(`${server.url}${page}`, { headers: { cookie } })).text());
    const body = `csrf=${csrf}&username=alice&password=${'a'.repeat(70 * 1024)}`;
    const res = await post(page, body, { cookie, origin: server.url });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/login\?tx=[\w-]+&error=missing_fields$/);
    expect(res.headers.get('connection')).toBe('close');
  });
});

describe('the database', () => {
  it('SQLite: copies the write-ahead log into the database file on its own thread, long before a commit would', async () => {
    const file = path.join(server.dataDir, 'portico.db');
    if (server.databaseUrl) {
      // On PostgreSQL there is no SQLite file to look after.
      expect(fs.existsSync(file)).toBe(false);
      return;
    }
    const admin = server.adminClient();
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'wal' }))).UserPool!.Id!;
    for (let i = 0; i < 20; i++) await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `wal-${i}`, MessageAction: 'SUPPRESS' }));
    const frames = walIndexWord(file, WAL_LENGTH);
    // Far below the 5,000 pages at which a commit on the request thread would have checkpointed.
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(5000);
    // All of the log copied (and nothing written since): never so without a checkpoint.
    await waitFor(async () => {
      const [length, copied] = [walIndexWord(file, WAL_LENGTH), walIndexWord(file, WAL_COPIED)];
      return length > 0 && copied === length ? true : undefined;
    }, 5000, 'the log copied into the database file');
  });
});

describe('failures and the process', () => {
  it('drops a client that hangs up in the middle of its form quietly, and keeps serving', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /login?tx=abc HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ncsrf=abc`);
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect(server.output()).not.toContain('hosted request failed');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('with the database unreachable: translated error pages and OAuth JSON, never a stack trace', async () => {
    const broken = await startNextServer({ env: { PORTICO_DEMO: 'off', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/portico' } });
    try {
      const authorize = await fetch(`${broken.url}/oauth2/authorize?client_id=x&ui_locales=es`, { redirect: 'manual' });
      expect(authorize.status).toBe(503);
      expect(authorize.headers.get('retry-after')).toBe('5');
      expect(authorize.headers.get('cache-control')).toBe('no-store');
      const page = await authorize.text();
      expect(page).toContain('<code>temporarily_unavailable</code>');
      expect(page).toContain('lang="es"');
      const login = await fetch(`${broken.url}/login?tx=abc`, { redirect: 'manual' });
      expect(login.status).toBe(503);
      expect(await login.text()).toContain('<code>temporarily_unavailable</code>');
      const token = await fetch(`${broken.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=authorization_code&code=x',
      });
      expect(token.status).toBe(503);
      expect(token.headers.get('access-control-allow-origin')).toBe('*');
      expect(await token.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable' });
      expect(broken.output()).not.toMatch(/^\s+at /m);
    } finally {
      await broken.close();
    }
  });

  it('SIGTERM: stops accepting, lets the request in flight finish, exits 0', async () => {
    const s = await startNextServer({ env: { PORTICO_DEMO: 'off' } });
    try {
      const body = 'grant_type=password&username=a';
      const socket = net.connect(s.port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      const closed = new Promise((r) => socket.once('close', r));
      // Headers and half the body: the request is in flight, waiting for the rest.
      socket.write(`POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
      await new Promise((r) => setTimeout(r, 300));
      const stopped = s.stop('SIGTERM');
      await waitFor(() => (s.output().includes('SIGTERM') ? true : undefined), 5_000, 'the server to start stopping');
      await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
      socket.write(body.slice(10));
      await closed;
      // The whole answer arrived (the client is not authenticated: 401 invalid_client), then the server hung up.
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(answer).toMatch(/\{"error":"invalid_client","error_description":"[^"]+"\}$/);
      expect(await stopped).toEqual({ code: 0, signal: null });
    } finally {
      await s.close();
    }
  });

  it('refuses to start with a bad setting and names it', async () => {
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const proc = spawn(process.execPath, [serverEntry(root)], { cwd: path.resolve(root), env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' as const, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
        proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
        proc.on('exit', (code) => resolve({ code, output }));
      });
    const port = await run({ PORT: 'abc' });
    expect(port.code).toBe(1);
    expect(port.output).toMatch(/PORT:/);
    const secret = await run({ PORTICO_ADMIN_KEY_ID: 'PORTICOTESTKEY00001' });
    expect(secret.code).toBe(1);
    expect(secret.output).toMatch(/PORTICO_ADMIN_KEY_ID \/ PORTICO_ADMIN_SECRET: set both or neither/);
  });
});

describe('the build', () => {
  const filesUnder = (dir: string): string[] =>
    fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(m?js)$/.test(f)).map((f) => path.join(dir, f));
  const serverBundles = () => filesUnder(path.dirname(serverEntry(root)));

  it('carries no translations: the server reads locales/ at run time, once per process', () => {
    // Values only a locale file holds, as a bundler would write them (raw, or escaped by esbuild).
    const arabic = JSON.parse(fs.readFileSync(path.join(root, 'locales/ar/account.json'), 'utf8')).title as string;
    const escaped = [...arabic].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const files = [...filesUnder(path.join(root, '.next/server')), ...serverBundles()];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text.includes(arabic) || text.toLowerCase().includes(escaped), file).toBe(false);
    }
  });

  it("writes the custom server's bundle in ASCII, so V8 holds its source one byte a character", () => {
    for (const file of serverBundles()) expect(isAscii(fs.readFileSync(file, 'utf8')), file).toBe(true);
  });
});
