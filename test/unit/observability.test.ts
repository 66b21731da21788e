import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrub } from '@/lib/observability/logger';
import { annotateRequest, currentRequest, openRequest, requestIdFrom, runWithRequest } from '@/lib/observability/context';
import { countSignIn, countTokenGrant, metrics } from '@/lib/observability/metrics';
import { routeLabel } from '@/lib/observability/routes';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, log: createLogger(sink, 'info') };
}

describe('the structured log', () => {
  it('redacts the fields secrets travel under, at the top level and one level down', () => {
    const { lines, log } = capture();
    log.info(
      { password: 'canary-pw', client_secret: 'canary-cs', Session: 'canary-s', nested: { AccessToken: 'canary-at', code: 'canary-code', ConfirmationCode: '123456', keep: 'visible' } },
      'x',
    );
    const text = JSON.stringify(lines);
    for (const v of ['canary-pw', 'canary-cs', 'canary-s', 'canary-at', 'canary-code', '123456']) expect(text).not.toContain(v);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'x', nested: { keep: 'visible' } });
  });

  it('matches secret names in any case, two levels down, and leaves the caller\'s object alone', () => {
    const input = { PASSWORD: 'a', outer: { inner: { refresh_token: 'b', n: 1 } }, list: ['x'] };
    expect(scrub(input)).toEqual({ PASSWORD: '[redacted]', outer: { inner: { refresh_token: '[redacted]', n: 1 } }, list: ['x'] });
    expect(input.PASSWORD).toBe('a');
    const clean = { a: 1, b: { c: 2 } };
    expect(scrub(clean)).toBe(clean);
  });

  it('stamps each line with the request id of the request being served', () => {
    const { lines, log } = capture();
    runWithRequest({ requestId: 'req-12345678' }, () => log.warn({ a: 1 }, 'inside'));
    log.warn('outside');
    expect(lines[0]).toMatchObject({ requestId: 'req-12345678', level: 'warn' });
    expect(lines[1]).not.toHaveProperty('requestId');
  });

  it('honours the level', () => {
    const lines: string[] = [];
    const log = createLogger(new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }), 'warn');
    log.info('hidden');
    log.error('shown');
    expect(lines).toHaveLength(1);
  });
});

describe('the request context', () => {
  it("keeps a client's plain X-Request-Id and replaces anything else", () => {
    expect(requestIdFrom('abc-123_DEF.456')).toBe('abc-123_DEF.456');
    for (const bad of [undefined, 'short', 'has space in it', 'x'.repeat(65), 'line\nbreak000', '{"json":1}']) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('opens with the id rule above and the time the request arrived (the crypto threads order work by it)', () => {
    expect(openRequest('abc-123_DEF.456', 1234.5)).toEqual({ requestId: 'abc-123_DEF.456', startedAt: 1234.5 });
    expect(openRequest(['abc-123_DEF.456', 'second-id-0000'], 7)).toMatchObject({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), startedAt: 7 });
  });

  it('takes ids that look like ids and ignores the rest', () => {
    runWithRequest({ requestId: 'r0000000' }, () => {
      annotateRequest({ clientId: 'abc123', poolId: 'us-east-1_Abc' });
      annotateRequest({ clientId: 'not an id <script>', outcome: 'authorization_code' });
      expect(currentRequest()).toEqual({ requestId: 'r0000000', clientId: 'abc123', poolId: 'us-east-1_Abc', outcome: 'authorization_code' });
    });
    expect(() => annotateRequest({ clientId: 'x' })).not.toThrow();
  });
});

describe('metrics', () => {
  it('counts sign-in steps by outcome and challenge, with closed label sets', async () => {
    countSignIn('InitiateAuth', 'challenge', 'PASSWORD_VERIFIER');
    countSignIn('RespondToAuthChallenge', 'tokens', undefined);
    countSignIn('RespondToAuthChallenge', 'NotAuthorizedException', 'made-up-challenge');
    countSignIn('ListUsers', 'tokens', undefined);
    countTokenGrant('refresh_token', 'ok');
    countTokenGrant('password', 'unsupported_grant_type');
    const text = await metrics().registry.metrics();
    expect(text).toMatch(/portico_sign_ins_total\{operation="InitiateAuth",outcome="challenge",challenge="PASSWORD_VERIFIER"\} 1/);
    expect(text).toMatch(/portico_sign_ins_total\{operation="RespondToAuthChallenge",outcome="NotAuthorizedException",challenge="other"\} 1/);
    expect(text).not.toContain('ListUsers');
    expect(text).toMatch(/portico_token_grants_total\{grant_type="other",outcome="unsupported_grant_type"\} 1/);
    expect(text).toContain('portico_http_request_duration_seconds');
    expect(text).toContain('portico_process_resident_memory_bytes');
  });

  it('is one registry per process, whichever copy of the module asks', () => {
    expect(metrics()).toBe((globalThis as Record<symbol, unknown>)[Symbol.for('portico.metrics')]);
  });
});

describe('route labels', () => {
  it('names routes by pattern and never passes a query or an id through', () => {
    expect(routeLabel('/oauth2/token')).toBe('/oauth2/token');
    expect(routeLabel('/us-east-1_Abc123/.well-known/jwks.json')).toBe('/{poolId}/.well-known/jwks.json');
    expect(routeLabel('/_next/static/chunks/x.js')).toBe('/_next/*');
    expect(routeLabel('/demo')).toBe('/demo');
    expect(routeLabel('/demo/api/auth/callback/portico')).toBe('/demo/*');
    expect(routeLabel('/confirmUser')).toBe('/confirmUser');
    expect(routeLabel('/anything/else?code=1')).toBe('other');
    expect(routeLabel(undefined)).toBe('other');
  });
});
