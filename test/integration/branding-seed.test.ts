import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { parseThemesFile, seedThemes, type ThemeSeed } from '../../lib/branding/seed';
import { readTheme, writeTheme } from '../../lib/branding/theme-store';
import { brandingDb } from '../../lib/branding/tables';
import { requestTheme } from '../../lib/branding/hosted-theme';
import { translator } from '../../lib/i18n/translate';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import { logoutRequest } from '../../lib/hosted/logout';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa1d5a9a20000000049454e44ae426082', 'hex');

let t: TestPool;
let rt: HostedRuntime;
let poolId: string;
let clientId: string;
let otherClientId: string;

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  const admin = t.adminClient();
  poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'seeded' }))).UserPool!.Id!;
  clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient!.ClientId!;
  otherClientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'other' }))).UserPoolClient!.ClientId!;
});
afterAll(async () => {
  await t.close();
});

function seeds(value: unknown): ThemeSeed[] {
  const parsed = parseThemesFile(value);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.themes;
}

describe('PORTICO_THEMES_FILE seeding', () => {
  it('writes pool and client themes, stores inline images as assets, and is idempotent', async () => {
    await writeTheme(t.db, 'client', otherClientId, { cornerRadius: 3 }, t.clock.now());
    await writeTheme(t.db, 'client', clientId, { cornerRadius: 30 }, t.clock.now());
    const file = seeds({
      pools: { [poolId]: { colors: { light: { brand: '#0f766e' } }, layout: 'split' } },
      clients: { [clientId]: { cornerRadius: 12, logo: `data:image/png;base64,${PNG.toString('base64')}` } },
    });
    expect(await seedThemes(t.db, file, t.clock.now())).toEqual({ written: 2, skipped: [] });
    const first = { pool: await readTheme(t.db, 'pool', poolId), client: await readTheme(t.db, 'client', clientId) };
    expect(first.pool).toEqual({ colors: { light: { brand: '#0f766e' } }, layout: 'split' });
    // The file wins for what it lists…
    expect(first.client).toEqual({ cornerRadius: 12, logo: expect.stringMatching(/^\/branding\/assets\/[0-9a-f]{64}\.png$/) });
    // …and leaves the others alone.
    expect(await readTheme(t.db, 'client', otherClientId)).toEqual({ cornerRadius: 3 });

    expect(await seedThemes(t.db, file, t.clock.now())).toEqual({ written: 2, skipped: [] });
    expect({ pool: await readTheme(t.db, 'pool', poolId), client: await readTheme(t.db, 'client', clientId) }).toEqual(first);
    const rows = await brandingDb(t.db).selectFrom('branding_themes').select(['scope', 'subject']).where('subject', 'in', [poolId, clientId]).execute();
    expect(rows).toHaveLength(2);
    const assets = await brandingDb(t.db).selectFrom('branding_assets').select('hash').where('hash', '=', first.client!.logo!.slice('/branding/assets/'.length, -'.png'.length)).execute();
    expect(assets).toHaveLength(1);

    // The hosted pages draw it: the client's radius and logo over the pool's colour.
    const theme = await requestTheme(rt, new Headers(), clientId, translator('en', ['common']));
    expect(theme?.css).toContain('--p-radius:12px');
    expect(theme?.css).toContain('--p-brand:#0f766e');
    expect(theme?.logo).toBe(first.client!.logo);
    expect(theme?.layout).toBe('split');
  });

  it('skips a document naming an asset this database does not hold, and writes the rest', async () => {
    const missing = `/branding/assets/${'b'.repeat(64)}.png`;
    const out = await seedThemes(t.db, seeds({ clients: { [otherClientId]: { logo: missing } }, pools: { [poolId]: { cornerRadius: 4 } } }), t.clock.now());
    expect(out.written).toBe(1);
    expect(out.skipped).toEqual([`clients.${otherClientId}.logo: no such asset`]);
    expect(await readTheme(t.db, 'client', otherClientId)).toEqual({ cornerRadius: 3 });
    expect(await readTheme(t.db, 'pool', poolId)).toEqual({ cornerRadius: 4 });
  });
});

describe('sign-out pages', () => {
  it("are drawn in the named client's theme, and in Portico's own without one", async () => {
    await writeTheme(t.db, 'client', clientId, { cornerRadius: 20, colors: { light: { brand: '#7c2d12' } }, termsUrl: 'https://example.com/terms' }, t.clock.now());
    const get = (query: string) => logoutRequest(rt, { method: 'GET', url: new URL(`${t.url}/logout${query}`), headers: new Headers(), body: '', cookies: {} });
    const themed = await get(`?client_id=${clientId}`);
    expect(themed.status).toBe(200);
    expect(themed.body).toContain('data-portico-theme');
    expect(themed.body).toContain('--p-brand:#7c2d12');
    expect(themed.body).toContain('href="https://example.com/terms"');
    expect(themed.body).toContain(`action="/logout?client_id=${clientId}"`);
    const plain = await get('');
    expect(plain.body).not.toContain('data-portico-theme');
    expect((await get('?client_id=nope')).body).not.toContain('data-portico-theme');
  });
});
