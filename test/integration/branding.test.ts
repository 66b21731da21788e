import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUICustomizationCommand,
  SetUICustomizationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { failure } from '../helpers/failure';
import { themeEndpoint } from '../../lib/branding/admin-api';
import { assetHeaders, readAsset } from '../../lib/branding/assets';
import { resolveTheme } from '../../lib/branding/resolve-theme';
import type { HttpIn } from '../../lib/hosted/http';
import type { HostedRuntime } from '../../lib/hosted/runtime';

// A 1×1 PNG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa1d5a9a20000000049454e44ae426082', 'hex');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#0f766e"/></svg>');

let t: TestPool;
let rt: HostedRuntime;
let admin: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let otherClientId: string;

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  admin = t.adminClient();
  poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'branding' }))).UserPool!.Id!;
  clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient!.ClientId!;
  otherClientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'other' }))).UserPoolClient!.ClientId!;
});
afterAll(async () => {
  await t.close();
});

describe('SetUICustomization / GetUICustomization', () => {
  it('stores CSS and a logo per client, falls back to ALL, and serves the logo from Portico', async () => {
    const all = await admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: '.banner-customizable { background-color: #0f766e; }' }));
    expect(all.UICustomization).toMatchObject({ UserPoolId: poolId, ClientId: 'ALL', CSS: '.banner-customizable { background-color: #0f766e; }' });
    expect(all.UICustomization!.CreationDate).toBeInstanceOf(Date);

    const own = await admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: '.submitButton-customizable { background-color: #7c2d12; }', ImageFile: PNG }));
    expect(own.UICustomization!.ClientId).toBe(clientId);
    expect(own.UICustomization!.ImageUrl).toMatch(new RegExp(`^${t.url}/branding/assets/[0-9a-f]{64}\\.png$`));

    const got = await admin.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }));
    expect(got.UICustomization).toMatchObject({ ClientId: clientId, CSS: '.submitButton-customizable { background-color: #7c2d12; }', ImageUrl: own.UICustomization!.ImageUrl });
    const fallback = await admin.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: otherClientId }));
    expect(fallback.UICustomization).toMatchObject({ ClientId: 'ALL', CSS: '.banner-customizable { background-color: #0f766e; }' });

    const file = own.UICustomization!.ImageUrl!.split('/').pop()!;
    const asset = await readAsset(t.db, file);
    expect(asset!.bytes.equals(PNG)).toBe(true);
    expect(assetHeaders(asset!.type, asset!.bytes.length)).toMatchObject({ 'content-type': 'image/png', 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    expect(await readAsset(t.db, file.replace('.png', '.svg'))).toBeUndefined();
  });

  it("refuses CSS outside Cognito's classes, other images, big images and unknown clients, as Cognito does", async () => {
    expect((await failure(admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: '.card { color: red }' })))).name).toBe('InvalidParameterException');
    expect((await failure(admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: '@import url(x.css);' })))).name).toBe('InvalidParameterException');
    expect(await failure(admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: SVG })))).toEqual({ name: 'InvalidParameterException', message: 'The image file must be a PNG or JPEG.' });
    const big = Buffer.concat([PNG, Buffer.alloc(101 * 1024)]);
    expect((await failure(admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: big })))).name).toBe('InvalidParameterException');
    expect(await failure(admin.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'nope1234', CSS: '' })))).toEqual({ name: 'ResourceNotFoundException', message: 'User pool client nope1234 does not exist.' });
    expect((await failure(admin.send(new GetUICustomizationCommand({ UserPoolId: 'us-east-1_Nope1234' })))).name).toBe('ResourceNotFoundException');
  });

  it('needs the admin signature', async () => {
    const anon = t.publicClient();
    expect((await failure(anon.send(new GetUICustomizationCommand({ UserPoolId: poolId })))).name).toMatch(/NotAuthorized|Unrecognized|MissingAuthenticationToken|AccessDenied/);
  });
});

function request(method: string, path: string, body = '', auth: string | null = `Basic ${Buffer.from(`${t.admin.keyId}:${t.admin.secret}`).toString('base64')}`): HttpIn {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (auth) headers.set('authorization', auth);
  return { method, url: new URL(`${t.url}${path}`), headers, body, cookies: {} };
}

describe('admin theme API', () => {
  it('refuses callers without the admin credentials and unknown subjects', async () => {
    const none = await themeEndpoint(rt, request('GET', `/admin/themes/pool/${poolId}`, '', null), 'pool', poolId);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic /);
    expect((await themeEndpoint(rt, request('GET', '/admin/themes/client/nope'), 'client', 'nope')).status).toBe(404);
    expect((await themeEndpoint(rt, request('GET', '/admin/themes/pool/us-east-1_Zz9'), 'pool', 'us-east-1_Zz9')).status).toBe(404);
  });

  it('validates: schema, contrast, CSS and images, each issue named', async () => {
    const put = (body: unknown) => themeEndpoint(rt, request('PUT', `/admin/themes/client/${clientId}`, JSON.stringify(body)), 'client', clientId);
    const bad = await put({ colors: { light: { brand: '#fde68a' } }, customCss: 'a { background: url(https://evil.example/x) }', layout: 'split' });
    expect(bad.status).toBe(400);
    const issues = JSON.parse(bad.body).issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path)).toContain('customCss');
    const contrast = await put({ colors: { light: { brand: '#fde68a' } } });
    expect(JSON.parse(contrast.body).issues).toEqual(expect.arrayContaining([{ path: 'colors.light', message: expect.stringMatching(/^brandText on brand has contrast/) }]));
    const evilSvg = await put({ logo: `data:image/svg+xml;base64,${Buffer.from('<svg><script>alert(1)</script></svg>').toString('base64')}` });
    expect(JSON.parse(evilSvg.body).issues).toEqual([{ path: 'logo', message: 'SVG images may not contain scripts or embedded documents' }]);
    expect((await themeEndpoint(rt, request('PUT', `/admin/themes/client/${clientId}`, '{'), 'client', clientId)).status).toBe(400);
    expect((await themeEndpoint(rt, request('PATCH', `/admin/themes/client/${clientId}`), 'client', clientId)).status).toBe(405);
  });

  it('round-trips a theme, stores images as assets, and the client theme wins over the pool theme', async () => {
    const poolPut = await themeEndpoint(rt, request('PUT', `/admin/themes/pool/${poolId}`, JSON.stringify({ colors: { light: { brand: '#0f766e' } }, layout: 'split', cornerRadius: 0 })), 'pool', poolId);
    expect(poolPut.status).toBe(200);
    const body = { colors: { light: { brand: '#7c2d12' }, dark: { brand: '#fdba74' } }, logo: `data:image/svg+xml;base64,${SVG.toString('base64')}`, customCss: '.portico-card { letter-spacing: .01em }', termsUrl: 'https://example.com/terms' };
    const put = await themeEndpoint(rt, request('PUT', `/admin/themes/client/${clientId}`, JSON.stringify(body)), 'client', clientId);
    expect(put.status).toBe(200);
    const stored = JSON.parse(put.body).theme;
    expect(stored.logo).toMatch(/^\/branding\/assets\/[0-9a-f]{64}\.svg$/);
    const got = JSON.parse((await themeEndpoint(rt, request('GET', `/admin/themes/client/${clientId}`), 'client', clientId)).body);
    expect(got).toEqual({ scope: 'client', id: clientId, theme: stored });
    // What GET returned can be PUT back unchanged.
    expect((await themeEndpoint(rt, request('PUT', `/admin/themes/client/${clientId}`, JSON.stringify(got.theme)), 'client', clientId)).status).toBe(200);
    const svg = await readAsset(t.db, stored.logo.split('/').pop());
    expect(assetHeaders(svg!.type, 1)['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);

    const theme = await resolveTheme({ db: t.db, cognito: rt.cognito, publicUrl: t.url, now: t.clock.now() + 10_000 }, poolId, clientId);
    expect(theme.light.brand).toBe('#7c2d12');
    expect(theme.dark.brand).toBe('#fdba74');
    expect(theme.layout).toBe('split');
    expect(theme.radius).toBe(0);
    expect(theme.logo).toBe(stored.logo);
    // Cognito's CSS for the client, mapped onto Portico's markup, then the theme's own CSS.
    expect(theme.css[0]).toContain('.portico-hosted form[method=post i] button[type=submit]');
    expect(theme.css[1]).toContain('.portico-hosted .portico-card');

    const other = await resolveTheme({ db: t.db, cognito: rt.cognito, publicUrl: t.url, now: t.clock.now() + 10_000 }, poolId, otherClientId);
    expect(other.light.brand).toBe('#0f766e');
    expect(other.logo).toBeUndefined();

    expect((await themeEndpoint(rt, request('DELETE', `/admin/themes/client/${clientId}`), 'client', clientId)).status).toBe(204);
    expect(JSON.parse((await themeEndpoint(rt, request('GET', `/admin/themes/client/${clientId}`), 'client', clientId)).body).theme).toEqual({});
  });
});
