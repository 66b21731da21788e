import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce, securityHeaders } from '../../lib/security/headers';
import { isSameOriginPost } from '../../lib/security/origin';
import { basicAuthMatches } from '../../lib/security/basic-auth';
import { escapeHtml } from '../../lib/security/plain-page';

describe('security headers', () => {
  it('builds a nonce-based strict CSP', () => {
    const csp = contentSecurityPolicy('abc');
    expect(csp).toContain("script-src 'nonce-abc' 'strict-dynamic'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });
  it('makes a fresh unguessable nonce each time', () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(newNonce()).not.toBe(a);
  });
  it('adds HSTS only for https', () => {
    expect(securityHeaders({ https: false })['strict-transport-security']).toBeUndefined();
    expect(securityHeaders({ https: true })['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(securityHeaders({ https: false })).toMatchObject({
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
  });
});

describe('isSameOriginPost', () => {
  const ctx = { host: 'login.example.com', proto: 'https', publicUrl: 'https://login.example.com' };
  it('accepts no Origin, the public origin and the addressed host', () => {
    expect(isSameOriginPost(null, ctx)).toBe(true);
    expect(isSameOriginPost('https://login.example.com', ctx)).toBe(true);
    expect(isSameOriginPost('http://127.0.0.1:3000', { host: '127.0.0.1:3000', proto: 'http', publicUrl: 'http://localhost:3000' })).toBe(true);
  });
  it('refuses other sites, other schemes, other ports, null and garbage', () => {
    for (const origin of ['https://evil.example', 'http://login.example.com', 'https://login.example.com:8443', 'null', 'not a url', 'https://login.example.com.evil.example']) {
      expect(isSameOriginPost(origin, ctx), origin).toBe(false);
    }
  });
  it('accepts Origin null only when the browser says the post is same-origin (Referrer-Policy: no-referrer)', () => {
    expect(isSameOriginPost('null', { ...ctx, fetchSite: 'same-origin' })).toBe(true);
    for (const fetchSite of ['same-site', 'cross-site', 'none', null]) {
      expect(isSameOriginPost('null', { ...ctx, fetchSite }), String(fetchSite)).toBe(false);
    }
    expect(isSameOriginPost('https://evil.example', { ...ctx, fetchSite: 'same-origin' })).toBe(false);
  });
});

describe('basicAuthMatches', () => {
  const expected = { keyId: 'PORTICOKEY0000000001', secret: 'sec:ret with colon' };
  const header = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  it('accepts the right id and secret (the secret may contain colons)', () => {
    expect(basicAuthMatches(header('PORTICOKEY0000000001:sec:ret with colon'), expected)).toBe(true);
    expect(basicAuthMatches(header('PORTICOKEY0000000001:sec:ret with colon').replace('Basic', 'basic'), expected)).toBe(true);
  });
  it('refuses anything else', () => {
    for (const h of [null, '', 'Bearer x', header('PORTICOKEY0000000001:wrong'), header('OTHER:sec:ret with colon'), header('no-colon'), 'Basic !!!']) {
      expect(basicAuthMatches(h, expected), String(h)).toBe(false);
    }
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
