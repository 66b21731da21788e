import { describe, expect, it } from 'vitest';
import { clientIpOf, resolveClientIp } from '../../lib/security/client-ip';
import { entryPathOf, hostedRewriteTarget } from '../../lib/hosted/routes';
import { localizedUrl, ClientSettingsSchema } from '../../lib/settings/client-settings';

describe('the client address', () => {
  const trusted = new Set(['10.0.0.1', '10.0.0.2']);

  it('is the socket peer when the peer is not a trusted proxy, whatever X-Forwarded-For says', () => {
    expect(resolveClientIp('198.51.100.4', '1.2.3.4', trusted)).toBe('198.51.100.4');
    expect(resolveClientIp('::ffff:198.51.100.4', undefined, trusted)).toBe('198.51.100.4');
  });

  it('behind trusted proxies, is the right-most address that is not one of them', () => {
    expect(resolveClientIp('10.0.0.1', '6.6.6.6, 198.51.100.9, 10.0.0.2', trusted)).toBe('198.51.100.9');
    expect(resolveClientIp('10.0.0.1', 'garbage, 198.51.100.9', trusted)).toBe('198.51.100.9');
    expect(resolveClientIp('10.0.0.1', undefined, trusted)).toBe('10.0.0.1');
  });

  it('is read back from the header the server wrote', () => {
    expect(clientIpOf(new Headers({ 'x-forwarded-for': '198.51.100.4' }))).toBe('198.51.100.4');
    expect(clientIpOf(new Headers())).toBe('unknown');
  });
});

describe('self-service routes', () => {
  it('send GET /signup and /forgotPassword without a transaction to the authorization handler', () => {
    expect(hostedRewriteTarget('GET', '/signup', new URLSearchParams('client_id=x'))).toBe('/api/hosted/authorize');
    expect(hostedRewriteTarget('GET', '/forgotPassword', new URLSearchParams())).toBe('/api/hosted/authorize');
    expect(hostedRewriteTarget('GET', '/signup', new URLSearchParams('tx=abc'))).toBeUndefined();
    expect(hostedRewriteTarget('GET', '/confirmUser', new URLSearchParams('client_id=x'))).toBeUndefined();
  });

  it('send form posts of every self-service page to its handler', () => {
    expect(hostedRewriteTarget('POST', '/signup', new URLSearchParams())).toBe('/api/hosted/signup');
    expect(hostedRewriteTarget('POST', '/confirmUser', new URLSearchParams())).toBe('/api/hosted/confirm-user');
    expect(hostedRewriteTarget('POST', '/forgotPassword', new URLSearchParams())).toBe('/api/hosted/forgot-password');
    expect(hostedRewriteTarget('POST', '/confirmforgotPassword', new URLSearchParams())).toBe('/api/hosted/confirm-forgot-password');
    expect(hostedRewriteTarget('POST', '/account', new URLSearchParams())).toBe('/api/hosted/account');
  });

  it('start a transaction only on a known entry page', () => {
    expect(entryPathOf('/signup')).toBe('/signup');
    expect(entryPathOf('/forgotPassword')).toBe('/forgotPassword');
    expect(entryPathOf('/account')).toBe('/login');
    expect(entryPathOf(null)).toBe('/login');
  });
});

describe('terms and privacy links in client settings', () => {
  it('take one https URL or one per locale with a default', () => {
    const s = ClientSettingsSchema.parse({ termsUrl: 'https://example.com/terms', privacyUrl: { default: 'https://example.com/p', es: 'https://example.com/es/p' } });
    expect(localizedUrl(s.termsUrl, 'ar')).toBe('https://example.com/terms');
    expect(localizedUrl(s.privacyUrl, 'es')).toBe('https://example.com/es/p');
    expect(localizedUrl(s.privacyUrl, 'ar')).toBe('https://example.com/p');
  });

  it('refuse http (except loopback for development), scripts and unknown locales', () => {
    expect(ClientSettingsSchema.safeParse({ termsUrl: 'http://example.com/terms' }).success).toBe(false);
    expect(ClientSettingsSchema.safeParse({ termsUrl: 'javascript:alert(1)' }).success).toBe(false);
    expect(ClientSettingsSchema.safeParse({ termsUrl: { xx: 'https://example.com' } }).success).toBe(false);
    expect(ClientSettingsSchema.safeParse({ termsUrl: 'http://localhost:3000/terms' }).success).toBe(true);
  });
});
