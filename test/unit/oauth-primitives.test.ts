import { describe, expect, it } from 'vitest';
import { isChallenge, isVerifier, s256, verifierMatches } from '../../lib/oauth/pkce';
import { grantScopes, parseScope } from '../../lib/oauth/scopes';
import { cleanDescription } from '../../lib/oauth/errors';
import { readClientCredentials } from '../../lib/oauth/client-auth';
import { parseOAuthSettings } from '../../lib/oauth/client-settings';
import { releasedBy } from '../../lib/oidc/scope-claims';
import { OAuthError } from '../../lib/oauth/types';
import { secretHash } from '../../lib/pool-client/secret-hash';

describe('PKCE', () => {
  // RFC 7636 Appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('S256 as RFC 7636 Appendix B computes it', () => {
    expect(s256(verifier)).toBe(challenge);
    expect(verifierMatches(verifier, challenge)).toBe(true);
    expect(verifierMatches(verifier.replace('d', 'e'), challenge)).toBe(false);
  });

  it.each([
    ['43 unreserved characters', 'a'.repeat(43), true],
    ['128 characters with every allowed symbol', `${'A9'.repeat(62)}-._~`, true],
    ['42 characters', 'a'.repeat(42), false],
    ['129 characters', 'a'.repeat(129), false],
    ['a space', `${'a'.repeat(42)} `, false],
    ['a plus', `${'a'.repeat(42)}+`, false],
    ['a slash', `${'a'.repeat(42)}/`, false],
    ['non-ASCII', `${'a'.repeat(42)}é`, false],
  ])('verifier format: %s', (_name, value, ok) => {
    expect(isVerifier(value)).toBe(ok);
  });

  it('a well-formed verifier outside the range never matches, even if its hash were the challenge', () => {
    const long = 'a'.repeat(129);
    expect(verifierMatches(long, s256(long))).toBe(false);
  });

  it.each([
    [challenge, true],
    [challenge.slice(1), false],
    [`${challenge}A`, false],
    [`${challenge.slice(1)}=`, false],
    [`${challenge.slice(1)}+`, false],
  ])('challenge format %s', (value, ok) => {
    expect(isChallenge(value)).toBe(ok);
  });
});

describe('scopes', () => {
  it('parses RFC 6749 scope tokens', () => {
    expect(parseScope('openid  email openid')).toEqual(['openid', 'email']);
    expect(parseScope('https://api.example.com/read')).toEqual(['https://api.example.com/read']);
    for (const bad of ['', ' ', 'a"b', 'a\\b', 'a\tb', 'café', 'a\nb']) expect(parseScope(bad)).toBeUndefined();
  });

  it('grants within the allow-list', () => {
    const allowed = ['openid', 'phone', 'api/read'];
    expect(grantScopes(undefined, allowed)).toEqual({ ok: true, scopes: allowed });
    expect(grantScopes('phone', allowed)).toEqual({ ok: false, description: 'None of the requested scopes is allowed for this client' });
    expect(grantScopes('openid phone email', allowed)).toEqual({ ok: true, scopes: ['openid', 'phone'] });
    expect(grantScopes('offline_access openid', allowed)).toMatchObject({ ok: false, description: 'The scope parameter names an unknown scope' });
    expect(grantScopes(undefined, [])).toMatchObject({ ok: false });
  });
});

describe('client credentials', () => {
  const basic = (id: string, secret: string) => new Headers({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
  const form = (q: Record<string, string>) => q;
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

  it('client_secret_basic decodes form-encoded parts (secrets with : % + work)', () => {
    const secret = 'a:b%c+d e';
    const c = readClientCredentials(basic(enc('app+1'), enc(secret)), form({}));
    expect(c).toMatchObject({ clientId: 'app+1', method: 'client_secret_basic' });
    expect(c.secrets).toContain(secret);
  });

  it('client_secret_basic also takes unencoded ids and secrets with +', () => {
    const c = readClientCredentials(basic('app+1', 'abc+def'), form({}));
    expect(c.clientId).toBe('app+1');
    expect(c.secrets).toContain('abc+def');
  });

  it('client_secret_post and public clients', () => {
    expect(readClientCredentials(new Headers(), form({ client_id: 'app', client_secret: 's' }))).toEqual({ clientId: 'app', secrets: ['s'], method: 'client_secret_post' });
    expect(readClientCredentials(new Headers(), form({ client_id: 'app' }))).toEqual({ clientId: 'app', secrets: [], method: 'none' });
  });

  const failures: Array<[string, Headers, Record<string, string>, string, number]> = [
    ['no credentials at all', new Headers(), {}, 'invalid_client', 401],
    ['Basic without a colon', new Headers({ authorization: `Basic ${Buffer.from('app').toString('base64')}` }), {}, 'invalid_client', 401],
    ['a non-Basic scheme', new Headers({ authorization: 'Bearer abc' }), {}, 'invalid_client', 401],
    ['Basic and client_secret together', basic('app', 's'), { client_secret: 's' }, 'invalid_request', 400],
    ['Basic and another client_id', basic('app', 's'), { client_id: 'other' }, 'invalid_client', 401],
  ];
  it.each(failures)('refuses %s', (_name, headers, body, error, status) => {
    let caught: unknown;
    try {
      readClientCredentials(headers, form(body));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OAuthError);
    expect(caught).toMatchObject({ error, status });
  });

  it('Basic with the same client_id in the body is fine (Cognito documents it)', () => {
    expect(readClientCredentials(basic('app', 's'), form({ client_id: 'app' })).clientId).toBe('app');
  });
});

describe('small pieces', () => {
  it('error descriptions keep only the characters RFC 6749 allows', () => {
    expect(cleanDescription('bad "value" \\ here\r\n\tand é')).toBe('bad  value    here   and  ');
  });

  it('client settings: requirePkce, defaults for anything malformed', () => {
    expect(parseOAuthSettings('{"requirePkce":true,"theme":"dark"}')).toEqual({ requirePkce: true });
    expect(parseOAuthSettings('{"requirePkce":"yes"}')).toEqual({ requirePkce: false });
    expect(parseOAuthSettings('not json')).toEqual({ requirePkce: false });
    expect(parseOAuthSettings('{}')).toEqual({ requirePkce: false });
  });

  it('userinfo claims follow the scopes', () => {
    const names = ['sub', 'email', 'email_verified', 'phone_number', 'name', 'custom:plan', 'address'];
    const pick = (scopes: string[]) => names.filter(releasedBy(scopes));
    expect(pick(['openid'])).toEqual(names);
    expect(pick(['openid', 'aws.cognito.signin.user.admin'])).toEqual(names);
    expect(pick(['openid', 'email'])).toEqual(['sub', 'email', 'email_verified']);
    expect(pick(['openid', 'phone'])).toEqual(['sub', 'phone_number']);
    expect(pick(['openid', 'profile'])).toEqual(['sub', 'name', 'custom:plan']);
  });

  it('SECRET_HASH as reference §3.5 defines it', () => {
    // Base64(HMAC-SHA256("secret", "user" + "client")), computed independently with openssl.
    expect(secretHash('secret', 'user', 'client')).toBe('wvW87lzZoI+qQCVGmWVBJLlucdJ65huAVP1z+0MgA6E=');
  });
});
