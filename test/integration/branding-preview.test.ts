import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { previewEndpoint } from '../../lib/branding/preview/endpoint';
import { PREVIEW_PAGES } from '../../lib/branding/preview/pages';
import { writeTheme } from '../../lib/branding/theme-store';
import { brandingDb } from '../../lib/branding/tables';
import type { HttpIn } from '../../lib/hosted/http';
import type { HostedRuntime } from '../../lib/hosted/runtime';

let t: TestPool;
let rt: HostedRuntime;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  const admin = t.adminClient();
  poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'preview' }))).UserPool!.Id!;
  clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'Acme web' }))).UserPoolClient!.ClientId!;
  await writeTheme(t.db, 'client', clientId, { colors: { light: { brand: '#7c2d12' }, dark: { brand: '#fdba74' } }, cornerRadius: 14 }, t.clock.now());
});
afterAll(async () => {
  await t.close();
});

const BASIC = () => `Basic ${Buffer.from(`${t.admin.keyId}:${t.admin.secret}`).toString('base64')}`;

function request(path: string, auth: string | null = BASIC(), method = 'GET'): HttpIn {
  const headers = new Headers();
  if (auth) headers.set('authorization', auth);
  headers.set('x-portico-nonce', 'bm9uY2U=');
  return { method, url: new URL(`${t.url}${path}`), headers, body: '', cookies: {} };
}

const preview = (path: string, auth?: string | null, method?: string) => {
  const url = new URL(path, 'http://x');
  const page = url.pathname === '/admin/preview' ? undefined : url.pathname.slice('/admin/preview/'.length);
  return previewEndpoint(rt, request(path, auth, method), page, ['/_next/static/css/app.css']);
};

describe('admin preview', () => {
  it('needs the admin credentials', async () => {
    for (const path of ['/admin/preview', `/admin/preview/login?client_id=${clientId}`]) {
      const none = await preview(path, null);
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Basic /);
      expect(none.body).not.toContain('<form');
      const wrong = await preview(path, `Basic ${Buffer.from(`${t.admin.keyId}:nope`).toString('base64')}`);
      expect(wrong.status).toBe(401);
    }
  });

  it('lists every page, and answers bad input with 400/404, never 500', async () => {
    const index = await preview('/admin/preview?locale=es');
    expect(index.status).toBe(200);
    expect(index.headers['cache-control']).toBe('no-store');
    expect(index.headers['x-robots-tag']).toMatch(/noindex/);
    for (const page of PREVIEW_PAGES) expect(index.body).toContain(`href="/admin/preview/${page}?locale=es"`);
    expect(index.body).toContain('lang="es"');
    expect((await preview('/admin/preview/nope')).status).toBe(404);
    expect((await preview('/admin/preview/login?client_id=nope123')).status).toBe(404);
    expect((await preview('/admin/preview/login?scheme=purple')).status).toBe(400);
    expect((await preview('/admin/preview/login?locale=xx-notalocale')).status).toBe(400);
    expect((await preview('/admin/preview/login?other=1')).status).toBe(400);
    expect((await preview('/admin/preview/login?client_id=<script>')).status).toBe(400);
  });

  it('draws every page in the client theme, locale and forced scheme, with sample data and dead forms', async () => {
    const before = await brandingDb(t.db).selectFrom('branding_themes').select('subject').execute();
    for (const page of PREVIEW_PAGES) {
      const out = await preview(`/admin/preview/${page}?client_id=${clientId}&locale=ar&scheme=dark`);
      expect(out.status, page).toBe(200);
      expect(out.headers['cache-control']).toBe('no-store');
      expect(out.body, page).toContain('lang="ar" dir="rtl"');
      expect(out.body, page).toContain('data-portico-preview');
      expect(out.body, page).toContain('color-scheme:dark;');
      expect(out.body, page).toContain('--p-brand:#fdba74');
      expect(out.body, page).not.toContain('prefers-color-scheme');
      expect(out.body, page).toContain('nonce="bm9uY2U="');
      // Every POST form goes nowhere.
      for (const m of out.body.matchAll(/<form[^>]*method="post"[^>]*>/gi)) expect(m[0], page).toContain('action="#"');
    }
    const login = await preview(`/admin/preview/login?client_id=${clientId}&locale=en&scheme=light`);
    expect(login.body).toContain('--p-brand:#7c2d12');
    expect(login.body).toContain('--p-radius:14px');
    expect(login.body).toContain('Acme web');
    expect(login.body).toContain('/_next/static/css/app.css');
    const failed = await preview(`/admin/preview/login-error?pool_id=${poolId}`);
    expect(failed.body).toContain('id="error-summary"');
    // Nothing was written by drawing.
    expect(await brandingDb(t.db).selectFrom('branding_themes').select('subject').execute()).toEqual(before);
  });

  it('sends a submitted sample form back to its page', async () => {
    const out = await preview(`/admin/preview/login?client_id=${clientId}`, BASIC(), 'POST');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(`/admin/preview/login?client_id=${clientId}`);
  });
});
