import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { clientSettingsEndpoint } from '../../lib/settings/admin-api';
import { oauthSettings } from '../../lib/oauth/client-settings';
import type { HttpIn } from '../../lib/hosted/http';
import type { HostedRuntime } from '../../lib/hosted/runtime';

let t: TestPool;
let rt: HostedRuntime;
let clientId: string;

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  const admin = t.adminClient();
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'settings' }))).UserPool!.Id!;
  clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', GenerateSecret: true }))).UserPoolClient!.ClientId!;
});
afterAll(async () => {
  await t.close();
});

function request(method: string, body = '', auth: string | null = `Basic ${Buffer.from(`${t.admin.keyId}:${t.admin.secret}`).toString('base64')}`): HttpIn {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (auth) headers.set('authorization', auth);
  return { method, url: new URL(`${t.url}/admin/clients/${clientId}/settings`), headers, body, cookies: {} };
}

describe('admin API for per-client settings', () => {
  it('refuses callers without the admin credentials', async () => {
    const none = await clientSettingsEndpoint(rt, request('GET', '', null), clientId);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic /);
    const wrong = await clientSettingsEndpoint(rt, request('GET', '', `Basic ${Buffer.from(`${t.admin.keyId}:nope`).toString('base64')}`), clientId);
    expect(wrong.status).toBe(401);
  });

  it('stores a validated document that the authorize checks then read', async () => {
    expect((await oauthSettings(rt.db, clientId)).requirePkce).toBe(false);
    const put = await clientSettingsEndpoint(rt, request('PUT', JSON.stringify({ requirePkce: true, defaultLocale: 'ar' })), clientId);
    expect(put.status).toBe(200);
    expect((await oauthSettings(rt.db, clientId)).requirePkce).toBe(true);
    const got = await clientSettingsEndpoint(rt, request('GET'), clientId);
    expect(JSON.parse(got.body)).toEqual({ clientId, settings: { requirePkce: true, defaultLocale: 'ar' } });
    expect((await clientSettingsEndpoint(rt, request('DELETE'), clientId)).status).toBe(204);
    expect((await oauthSettings(rt.db, clientId)).requirePkce).toBe(false);
  });

  it('answers bad documents with what is wrong, and unknown clients with 404', async () => {
    const typo = await clientSettingsEndpoint(rt, request('PUT', JSON.stringify({ requirePKCE: true })), clientId);
    expect(typo.status).toBe(400);
    expect(JSON.parse(typo.body).error).toBe('invalid_settings');
    const locale = await clientSettingsEndpoint(rt, request('PUT', JSON.stringify({ defaultLocale: 'xx' })), clientId);
    expect(JSON.parse(locale.body).issues[0].path).toBe('defaultLocale');
    expect((await clientSettingsEndpoint(rt, request('PUT', '{nope'), clientId)).status).toBe(400);
    expect((await clientSettingsEndpoint(rt, request('GET'), 'unknownclient')).status).toBe(404);
    expect((await clientSettingsEndpoint(rt, request('POST', '{}'), clientId)).status).toBe(405);
  });
});
