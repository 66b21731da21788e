import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import { handleAuthorize } from '../../lib/hosted/authorize';
import { hit, hitAll } from '../../lib/security/rate-limit';
import { loadFlash, saveFlash, FLASH_TTL_MS } from '../../lib/hosted/flash';
import { sweepHosted } from '../../lib/hosted/sweep';
import { allowCodeSend } from '../../lib/hosted/send-guard';
import { extendTransaction, loadTransaction } from '../../lib/hosted/transactions';
import { CALLBACK, httpIn, location, makeOAuthClient, makeOAuthPool, pkcePair } from './hosted-fixtures';

/**
 * What the self-service pages stand on: shared rate-limit counters, the sealed form flash, the sweeper,
 * the per-IP send guard, and /signup and /forgotPassword as authorization entry points.
 */
let t: TestPool;
let rt: HostedRuntime;
let poolId: string;
let client: { clientId: string };

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t, { PORTICO_CODES_PER_IP_HOUR: '3' });
  poolId = await makeOAuthPool(t);
  client = await makeOAuthClient(t, poolId, { GenerateSecret: false });
});
afterAll(async () => t?.close());

describe('rate-limit counters', () => {
  it('allow up to the limit in a window, refuse after it, and start again when the window is over', async () => {
    const rule = { limit: 2, windowMs: 60_000 };
    const now = t.clock.now();
    expect((await hit(t.db, 'k1', rule, now)).ok).toBe(true);
    expect((await hit(t.db, 'k1', rule, now + 1)).ok).toBe(true);
    const refused = await hit(t.db, 'k1', rule, now + 2);
    expect(refused).toMatchObject({ ok: false, count: 3 });
    expect(refused.retryAfterMs).toBe(60_000 - 2);
    // Another key is counted apart.
    expect((await hit(t.db, 'k2', rule, now + 2)).ok).toBe(true);
    const later = await hit(t.db, 'k1', rule, now + 60_000);
    expect(later).toMatchObject({ ok: true, count: 1 });
  });

  it('count concurrent hits exactly (one statement per hit)', async () => {
    const rule = { limit: 1000, windowMs: 60_000 };
    const now = t.clock.now();
    await Promise.all(Array.from({ length: 20 }, () => hit(t.db, 'busy', rule, now)));
    expect((await hit(t.db, 'busy', rule, now)).count).toBe(21);
  });

  it('hitAll counts every rule and reports the first refusal', async () => {
    const now = t.clock.now();
    const rules = [
      { key: 'a-wide', rule: { limit: 10, windowMs: 60_000 } },
      { key: 'a-narrow', rule: { limit: 1, windowMs: 60_000 } },
    ];
    expect((await hitAll(t.db, rules, now)).ok).toBe(true);
    const second = await hitAll(t.db, rules, now);
    expect(second.ok).toBe(false);
    expect((await hit(t.db, 'a-wide', rules[0]!.rule, now)).count).toBe(3);
  });
});

describe('form flash', () => {
  it('gives the values and errors back to the same browser only, and not after it expires', async () => {
    const id = await saveFlash(rt, 'browser-1', { values: { 'attr.email': 'pat@example.com' }, errors: { password: 'password_too_short' } });
    expect(await loadFlash(rt, id, 'browser-1')).toEqual({ values: { 'attr.email': 'pat@example.com' }, errors: { password: 'password_too_short' } });
    expect(await loadFlash(rt, id, 'browser-2')).toEqual({ values: {}, errors: {} });
    expect(await loadFlash(rt, 'nope', 'browser-1')).toEqual({ values: {}, errors: {} });
    t.clock.advance(FLASH_TTL_MS + 1);
    expect(await loadFlash(rt, id, 'browser-1')).toEqual({ values: {}, errors: {} });
  });

  it('is sealed at rest: nothing typed is readable in the table', async () => {
    await saveFlash(rt, 'browser-1', { values: { 'attr.given_name': 'Zebulon-Canary' }, errors: {} });
    const rows = await t.db.selectFrom('hosted_flash').select('data_enc').execute();
    expect(rows.some((r) => r.data_enc.includes('Zebulon'))).toBe(false);
  });

  it('is swept once expired', async () => {
    await saveFlash(rt, 'browser-1', { values: {}, errors: {} });
    t.clock.advance(FLASH_TTL_MS + 1);
    await sweepHosted(rt);
    expect(await t.db.selectFrom('hosted_flash').selectAll().execute()).toHaveLength(0);
  });
});

describe('per-IP code-send guard', () => {
  it('refuses the address that sent too many, not the next one', async () => {
    const from = (ip: string) => httpIn('POST', '/signup', { headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 3; i++) expect((await allowCodeSend(rt, from('203.0.113.7'))).ok).toBe(true);
    const refused = await allowCodeSend(rt, from('203.0.113.7'));
    expect(refused.ok).toBe(false);
    expect((await allowCodeSend(rt, from('203.0.113.8'))).ok).toBe(true);
  });
});

describe('sign-up and password reset as authorization entry points', () => {
  const params = () => ({ client_id: client.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });

  for (const entry of ['/signup', '/forgotPassword'] as const) {
    it(`GET ${entry} with the authorize parameters opens a transaction on that page`, async () => {
      const out = await handleAuthorize(rt, httpIn('GET', `${entry}?${new URLSearchParams(params())}`));
      expect(out.status).toBe(303);
      const to = location(out);
      expect(to.pathname).toBe(entry);
      expect(to.searchParams.get('tx')).toBeTruthy();
    });
  }

  it('a bad authorize request on /signup gets the same error page as on /login', async () => {
    const out = await handleAuthorize(rt, httpIn('GET', `/signup?${new URLSearchParams({ ...params(), client_id: 'nope' })}`));
    expect(out.status).toBe(400);
    expect(out.body).not.toMatch(/\n\s+at /);
  });

  it('extendTransaction gives a transaction more time, never less', async () => {
    const out = await handleAuthorize(rt, httpIn('GET', `/login?${new URLSearchParams(params())}`));
    const txId = location(out).searchParams.get('tx')!;
    const browser = (out.cookies ?? [])[0]!.split(';')[0]!.split('=')[1]!;
    const found = await loadTransaction(rt, txId, browser);
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    await extendTransaction(rt, found.tx, 30 * 60_000);
    await extendTransaction(rt, found.tx, 1_000);
    t.clock.advance(20 * 60_000);
    expect((await loadTransaction(rt, txId, browser)).ok).toBe(true);
  });
});
