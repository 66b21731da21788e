import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { poolSettingsEndpoint } from '../../lib/settings/pool-settings-api';
import { clientSettingsEndpoint } from '../../lib/settings/admin-api';
import { handleLoginPage } from '../../lib/hosted/login-page';
import type { HttpIn } from '../../lib/hosted/http';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import { Browser, CALLBACK, httpIn, makeOAuthClient, makeOAuthPool } from './hosted-fixtures';

/**
 * Portico's per-pool settings through their admin API (HTTP Basic, validation, round trip), and the
 * text overrides they and the client's settings carry, as the sign-in page shows them: client over
 * pool over the translation, per locale, visible at once after a PUT or DELETE.
 */
let t: TestPool;
let rt: HostedRuntime;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  poolId = await makeOAuthPool(t);
  clientId = (await makeOAuthClient(t, poolId)).clientId;
});
afterAll(async () => t?.close());

const basic = () => `Basic ${Buffer.from(`${t.admin.keyId}:${t.admin.secret}`).toString('base64')}`;

function request(method: string, body: unknown = undefined, auth: string | null = basic(), path = `/admin/pools/${poolId}/settings`): HttpIn {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (auth) headers.set('authorization', auth);
  return { method, url: new URL(`${t.url}${path}`), headers, body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body), cookies: {} };
}

const putPool = (settings: unknown) => poolSettingsEndpoint(rt, request('PUT', settings), poolId);
const putClient = (settings: unknown) => clientSettingsEndpoint(rt, request('PUT', settings, basic(), `/admin/clients/${clientId}/settings`), clientId);

describe('admin API for per-pool settings', () => {
  it('refuses callers without the admin credentials', async () => {
    const none = await poolSettingsEndpoint(rt, request('GET', undefined, null), poolId);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic /);
    const wrong = await poolSettingsEndpoint(rt, request('GET', undefined, `Basic ${Buffer.from(`${t.admin.keyId}:nope`).toString('base64')}`), poolId);
    expect(wrong.status).toBe(401);
  });

  it('stores, returns and removes a validated document', async () => {
    expect(JSON.parse((await poolSettingsEndpoint(rt, request('GET'), poolId)).body)).toEqual({ poolId, settings: {} });
    const doc = { text: { es: { 'hosted:login.title': 'Entra en Acme' }, ar: { 'signup:confirm.wait_two': 'ثانيتان' } } };
    const put = await putPool(doc);
    expect(put.status).toBe(200);
    expect(JSON.parse((await poolSettingsEndpoint(rt, request('GET'), poolId)).body)).toEqual({ poolId, settings: doc });
    expect((await poolSettingsEndpoint(rt, request('DELETE'), poolId)).status).toBe(204);
    expect(JSON.parse((await poolSettingsEndpoint(rt, request('GET'), poolId)).body).settings).toEqual({});
  });

  it('answers bad documents with what is wrong, unknown pools with 404, other methods with 405', async () => {
    const typo = await putPool({ txt: {} });
    expect(typo.status).toBe(400);
    expect(JSON.parse(typo.body).error).toBe('invalid_settings');
    const key = JSON.parse((await putPool({ text: { en: { 'hosted:login.nope': 'x' } } })).body);
    expect(key.issues[0].path).toBe('text.en.hosted:login.nope');
    const placeholders = JSON.parse((await putPool({ text: { en: { 'hosted:toContinue': 'Go to {{app}}' } } })).body);
    expect(placeholders.issues[0].message).toMatch(/\{\{client\}\}/);
    expect((await putPool({ text: { xx: {} } })).status).toBe(400);
    expect((await putPool({ text: { en: { 'hosted:login.title': 'a'.repeat(2001) } } })).status).toBe(400);
    expect((await poolSettingsEndpoint(rt, request('PUT', '{nope'), poolId)).status).toBe(400);
    expect((await poolSettingsEndpoint(rt, request('PUT', 'x'.repeat(70_000)), poolId)).status).toBe(413);
    expect((await poolSettingsEndpoint(rt, request('GET'), 'us-east-1_Unknown1')).status).toBe(404);
    expect((await poolSettingsEndpoint(rt, request('GET'), '../../etc')).status).toBe(404);
    expect((await poolSettingsEndpoint(rt, request('POST', '{}'), poolId)).status).toBe(405);
  });
});

describe('text overrides on the sign-in page', () => {
  async function loginPage(lang: string): Promise<string> {
    const b = new Browser(rt);
    await b.authorize({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 's' });
    const out = await handleLoginPage(rt, httpIn('GET', `/login?tx=${b.txId}&lang=${lang}`, { cookies: b.cookies }), { stylesheets: [] });
    expect(out.status).toBe(200);
    return out.body;
  }

  it('shows the client’s text over the pool’s over the translation, in the page’s locale only', async () => {
    expect(await loginPage('es')).toContain('<h1 class="text-2xl font-bold tracking-tight">Iniciar sesión</h1>');
    expect((await putPool({ text: { es: { 'hosted:login.title': 'Entra en Acme (pool)', 'hosted:login.submit': 'Adelante' } } })).status).toBe(200);
    let es = await loginPage('es');
    expect(es).toContain('>Entra en Acme (pool)</h1>');
    expect(es).toContain('>Adelante</button>');
    expect((await putClient({ text: { es: { 'hosted:login.title': 'Entra en la app' } } })).status).toBe(200);
    es = await loginPage('es');
    expect(es).toContain('>Entra en la app</h1>');
    expect(es).toContain('>Adelante</button>');
    // English has no override.
    expect(await loginPage('en')).toContain('>Sign in</h1>');
    // Removing the client's settings shows the pool's text again at once (the cache is forgotten).
    expect((await clientSettingsEndpoint(rt, request('DELETE', undefined, basic(), `/admin/clients/${clientId}/settings`), clientId)).status).toBe(204);
    expect(await loginPage('es')).toContain('>Entra en Acme (pool)</h1>');
    expect((await poolSettingsEndpoint(rt, request('DELETE'), poolId)).status).toBe(204);
    expect(await loginPage('es')).toContain('>Iniciar sesión</h1>');
  });

  it('escapes an override like any text', async () => {
    expect((await putPool({ text: { en: { 'hosted:login.title': '<img src=x onerror=alert(1)>' } } })).status).toBe(200);
    const html = await loginPage('en');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;</h1>');
    await poolSettingsEndpoint(rt, request('DELETE'), poolId);
  });
});
