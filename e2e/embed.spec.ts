import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type ConsoleMessage, type Page } from '@playwright/test';
import { E2E_PASSWORD, E2E_URL, adminCredentials, createOAuthClient, createPool, createUser } from './fixtures';

/**
 * Embedding in an iframe: an app's page on a second origin (http://127.0.0.1:<port>, while Portico is
 * http://localhost:<port>) frames the sign-in. A listed parent signs in inside the frame and receives the
 * code by postMessage; a parent that is not on the client's list — or a sign-in not started in embedded
 * mode — is refused by the browser itself (frame-ancestors).
 */
interface Parent {
  origin: string;
  /** The parent page framing `src`. */
  url(src: string): string;
  close(): Promise<void>;
}

/** The parent page: the snippet the README documents (iframe + a message listener checking the origin). */
function parentPage(src: string): string {
  const portico = JSON.stringify(E2E_URL);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Parent app</title></head><body>
<h1>Parent app</h1>
<iframe id="portico" title="Sign in" src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="480" height="640"></iframe>
<pre id="received"></pre>
<script>
  var frame = document.getElementById('portico');
  window.addEventListener('message', function (event) {
    if (event.origin !== ${portico} || event.source !== frame.contentWindow) return;
    if (!event.data || event.data.type !== 'portico:authorization_response') return;
    document.getElementById('received').textContent = JSON.stringify({ origin: event.origin, data: event.data });
  });
</script></body></html>`;
}

async function startParent(): Promise<Parent> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const src = url.searchParams.get('src');
    if (url.pathname !== '/' || !src) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(parentPage(src));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (src) => `${origin}/?${new URLSearchParams({ src })}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function putSettings(clientId: string, settings: unknown): Promise<void> {
  const { keyId, secret } = adminCredentials();
  const res = await fetch(`${E2E_URL}/admin/clients/${clientId}/settings`, {
    method: 'PUT',
    headers: { authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}

function frameRefusals(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (/frame-ancestors|X-Frame-Options/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

const CALLBACK = 'http://localhost:9/embed-callback';
let allowed: Parent;
let stranger: Parent;
let clientId: string;
let clientSecret: string;

test.beforeAll(async () => {
  allowed = await startParent();
  stranger = await startParent();
  const poolId = await createPool('embed');
  const client = await createOAuthClient(poolId, { name: 'embedded app', secret: true, callbackUrls: [CALLBACK] });
  clientId = client.clientId;
  clientSecret = client.clientSecret!;
  await createUser(poolId, 'framed');
  await putSettings(clientId, { frameOrigins: [allowed.origin] });
});
test.afterAll(async () => {
  await allowed?.close();
  await stranger?.close();
});

function authorizeUrl(extra: Record<string, string>): string {
  return `${E2E_URL}/oauth2/authorize?${new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state: 'embedded-state',
    ...extra,
  })}`;
}

test('a listed parent signs in inside the frame and receives the code by postMessage', async ({ page }) => {
  const refusals = frameRefusals(page);
  const loginHeaders = page.waitForResponse((r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'GET');
  await page.goto(allowed.url(authorizeUrl({ portico_embed: '1', portico_parent: allowed.origin })));

  const headers = (await loginHeaders).headers();
  expect(headers['content-security-policy']).toContain(`frame-ancestors ${allowed.origin}`);
  expect(headers['x-frame-options']).toBeUndefined();

  const frame = page.frameLocator('#portico');
  await expect(frame.locator('input[autocomplete="username"]')).toBeVisible();
  await frame.locator('input[autocomplete="username"]').fill('framed');
  await frame.locator('input[autocomplete="current-password"]').fill(E2E_PASSWORD);
  await frame.locator('input[autocomplete="current-password"]').press('Enter');

  await expect(page.locator('#received')).not.toBeEmpty({ timeout: 15_000 });
  const got = JSON.parse((await page.locator('#received').textContent())!) as { origin: string; data: Record<string, string> };
  expect(got.origin).toBe(E2E_URL);
  expect(got.data).toMatchObject({ type: 'portico:authorization_response', state: 'embedded-state' });
  expect(got.data['iss']).toMatch(new RegExp(`^${E2E_URL}/`));
  expect(page.url()).toContain(allowed.origin);
  expect(refusals).toEqual([]);

  // The parent's server exchanges the code as usual.
  const token = await fetch(`${E2E_URL}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: got.data['code']!, redirect_uri: CALLBACK }),
  });
  expect(token.status).toBe(200);
  expect(((await token.json()) as { id_token?: string }).id_token).toBeTruthy();
});

test('a parent not on the list is blocked by the browser', async ({ page }) => {
  const refusals = frameRefusals(page);
  // Claiming a listed parent does not help: the pages name that origin, and this page is not it.
  await page.goto(stranger.url(authorizeUrl({ portico_embed: '1', portico_parent: allowed.origin })));
  await expect.poll(() => refusals.length, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(refusals.join('\n')).toContain(`frame-ancestors ${allowed.origin}`);
  await expect(page.frameLocator('#portico').locator('input[autocomplete="username"]')).toHaveCount(0);
  await expect(page.locator('#received')).toBeEmpty();
});

test('naming an unlisted parent, or no embedded mode at all, gets nothing that can be framed', async ({ page }) => {
  for (const src of [authorizeUrl({ portico_embed: '1', portico_parent: stranger.origin }), authorizeUrl({})]) {
    const refusals = frameRefusals(page);
    await page.goto(stranger.url(src));
    await expect.poll(() => refusals.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(refusals.join('\n')).toContain("frame-ancestors 'none'");
    await expect(page.frameLocator('#portico').locator('input[autocomplete="username"]')).toHaveCount(0);
  }
});
