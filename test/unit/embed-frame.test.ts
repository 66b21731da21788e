import { describe, expect, it } from 'vitest';
import { FrameOriginsSchema, frameOriginOf } from '../../lib/hosted/embed/origins';
import { ClientSettingsSchema } from '../../lib/settings/client-settings';
import { securityHeaders } from '../../lib/security/headers';
import { setCookie } from '../../lib/hosted/cookies';
import { authorizationMessage } from '../../lib/hosted/embed/completion';

/** Embedding in an iframe: which parent origins a client may list, the headers and cookies that follow. */
describe('frame origins', () => {
  it('accepts bare https origins and http on loopback, normalized', () => {
    expect(frameOriginOf('https://app.example')).toBe('https://app.example');
    expect(frameOriginOf('https://App.Example:8443/')).toBe('https://app.example:8443');
    expect(frameOriginOf('https://app.example:443')).toBe('https://app.example');
    expect(frameOriginOf('http://localhost:5173')).toBe('http://localhost:5173');
    expect(frameOriginOf('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
    expect(frameOriginOf('http://[::1]:4000')).toBe('http://[::1]:4000');
  });

  it.each([
    'http://app.example',
    'https://app.example/path',
    'https://app.example/?q=1',
    'https://app.example#x',
    'https://user:pw@app.example',
    'https://*.app.example',
    "https://app.example 'unsafe-inline'",
    'https://app.example; script-src *',
    'https://a.example,https://b.example',
    '*',
    "'self'",
    'ftp://app.example',
    'javascript:alert(1)',
    'app.example',
    'http://localhost.evil.example',
    'http://10.0.0.1',
  ])('refuses %s', (value) => {
    expect(frameOriginOf(value)).toBeUndefined();
  });

  it('allows at most ten, drops duplicates after normalizing', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `https://a${i}.example`);
    expect(FrameOriginsSchema.safeParse(ten).success).toBe(true);
    expect(FrameOriginsSchema.safeParse([...ten, 'https://b.example']).success).toBe(false);
    expect(FrameOriginsSchema.parse(['https://a.example', 'https://A.example/'])).toEqual(['https://a.example']);
  });

  it('is a client setting, validated with the others', () => {
    expect(ClientSettingsSchema.parse({ frameOrigins: ['https://app.example/'] })).toEqual({ frameOrigins: ['https://app.example'] });
    expect(ClientSettingsSchema.safeParse({ frameOrigins: ['https://app.example/login'] }).success).toBe(false);
    expect(ClientSettingsSchema.safeParse({ frameOrigins: 'https://app.example' }).success).toBe(false);
  });
});

describe('security headers', () => {
  it("keep frame-ancestors 'none' and X-Frame-Options DENY by default", () => {
    const h = securityHeaders({ nonce: 'n', https: false });
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(securityHeaders({ nonce: 'n', https: false, frameAncestors: [] })['x-frame-options']).toBe('DENY');
  });

  it('name exactly the listed origins and drop X-Frame-Options for an embedded page', () => {
    const h = securityHeaders({ nonce: 'n', https: true, frameAncestors: ['https://app.example', 'http://localhost:5173'] });
    expect(h['x-frame-options']).toBeUndefined();
    expect(h['content-security-policy']).toMatch(/(^|; )frame-ancestors https:\/\/app\.example http:\/\/localhost:5173(;|$)/);
    expect(h['content-security-policy']).not.toContain("frame-ancestors 'none'");
    expect(h['content-security-policy']).toContain("script-src 'nonce-n' 'strict-dynamic'");
  });
});

describe('cookies', () => {
  it('are SameSite=Lax normally and SameSite=None; Secure; Partitioned when embedded (also on http)', () => {
    expect(setCookie('portico_browser', 'v', { https: false })).toBe('portico_browser=v; Path=/; HttpOnly; SameSite=Lax');
    expect(setCookie('portico_browser', 'v', { https: false, embedded: true })).toBe('portico_browser=v; Path=/; HttpOnly; SameSite=None; Secure; Partitioned');
    expect(setCookie('__Host-portico_session', 'v', { https: true, embedded: true, maxAgeSeconds: 60 })).toBe(
      '__Host-portico_session=v; Path=/; HttpOnly; SameSite=None; Secure; Partitioned; Max-Age=60',
    );
  });
});

describe('the message to the parent', () => {
  it("carries the response's parameters, not the redirect URI's own query", () => {
    expect(authorizationMessage('https://app.example/cb?tenant=1&code=abc&state=s%201&iss=https%3A%2F%2Fp%2Fus-east-1_X')).toEqual({
      type: 'portico:authorization_response',
      code: 'abc',
      state: 's 1',
      iss: 'https://p/us-east-1_X',
    });
  });

  it('reads the implicit flow from the fragment and errors alike', () => {
    expect(authorizationMessage('https://app.example/cb#access_token=at&token_type=Bearer&expires_in=3600&state=s&iss=i')).toMatchObject({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: '3600',
      state: 's',
    });
    expect(authorizationMessage('https://app.example/cb?error=login_required&error_description=x&iss=i')).toEqual({
      type: 'portico:authorization_response',
      error: 'login_required',
      error_description: 'x',
      iss: 'i',
    });
  });
});
