import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleToken } from '../../lib/oauth/token';
import { handleRevoke } from '../../lib/oauth/revoke';
import { SECRET_FAILURES } from '../../lib/oauth/client-auth';
import { answer, basic, httpIn, oauthWorld, type OAuthWorld } from './oauth-fixtures';

/**
 * Security checklist 27: guessing a client secret is throttled per client and address. After the limit,
 * that address gets 429 with Retry-After for the rest of the minute — the right secret included, so the
 * throttle tells nothing — while the same client from another address is not locked out.
 */
let w: OAuthWorld;
beforeAll(async () => {
  w = await oauthWorld();
});
afterAll(async () => w?.close());

const refresh = (secret: string, ip: string) =>
  handleToken(w.rt, httpIn(w, 'POST', '/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: 'not-a-token' }, headers: { authorization: basic(w.conf.clientId, secret), 'x-forwarded-for': ip } }));

describe('client secret guessing', () => {
  it('is answered 401 up to the limit, then 429 with Retry-After even for the right secret, from that address only', async () => {
    for (let i = 0; i < SECRET_FAILURES.limit; i++) {
      const a = answer(await refresh(`wrong-${i}`, '198.51.100.20'));
      expect(a.status).toBe(401);
      expect(a.json.error).toBe('invalid_client');
    }
    const throttled = answer(await refresh('wrong-again', '198.51.100.20'));
    expect(throttled.status).toBe(429);
    expect(throttled.json.error).toBe('invalid_client');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.headers['cache-control']).toBe('no-store');
    // The right secret from the throttled address: still 429 (no oracle).
    expect(answer(await refresh(w.conf.secret!, '198.51.100.20')).status).toBe(429);
    // The right secret from elsewhere reaches the grant (which then refuses the fake refresh token).
    const elsewhere = answer(await refresh(w.conf.secret!, '198.51.100.21'));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json.error).toBe('invalid_grant');
  });

  it('lets the address try again once the minute is over', async () => {
    w.t.clock.advance(SECRET_FAILURES.windowMs + 1);
    const a = answer(await refresh(w.conf.secret!, '198.51.100.20'));
    expect(a.json.error).toBe('invalid_grant');
  });

  it('applies to the revocation endpoint too', async () => {
    for (let i = 0; i < SECRET_FAILURES.limit; i++) {
      await handleRevoke(w.rt, httpIn(w, 'POST', '/oauth2/revoke', { form: { token: 'x' }, headers: { authorization: basic(w.other.clientId, `bad-${i}`), 'x-forwarded-for': '198.51.100.30' } }));
    }
    const a = answer(await handleRevoke(w.rt, httpIn(w, 'POST', '/oauth2/revoke', { form: { token: 'x' }, headers: { authorization: basic(w.other.clientId, w.other.secret!), 'x-forwarded-for': '198.51.100.30' } })));
    expect(a.status).toBe(429);
  });
});
