import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirs } from '../helpers/scratch-dirs';
import { hostnameOf, isPrimaryHost, parseBaseUrl, requestAuthority } from '../../lib/domains/host';
import { decideSite } from '../../lib/domains/decide';
import { baseUrlFrom, BASE_URL_HEADER, isHttpsRequest } from '../../lib/domains/header';
import { domainFrom, HostSchema, type Domain } from '../../lib/domains/store';
import { readDomainsFile } from '../../lib/domains/seed';
import { wantsJson } from '../../lib/domains/unknown-host';
import { ConfigError, parseSettings } from '../../lib/config/env';

const PRIMARY = 'https://login.example.com';
const trusted = new Set(['10.0.0.1']);
const auth: Domain = { host: 'auth.example.org', poolId: 'us-east-1_Abc', baseUrl: 'https://auth.example.org' };
const lookup = async (h: string) => (h === auth.host ? auth : undefined);

describe('request authority', () => {
  it('believes X-Forwarded-Host/-Proto only from a trusted proxy', () => {
    const spoofed = requestAuthority({ peer: '203.0.113.9', host: 'login.example.com', forwardedHost: 'auth.example.org', forwardedProto: 'https', trusted });
    expect(spoofed).toEqual({ host: 'login.example.com', hostname: 'login.example.com', proto: 'http' });
    const viaProxy = requestAuthority({ peer: '::ffff:10.0.0.1', host: 'internal:3000', forwardedHost: 'Auth.Example.org, evil.example', forwardedProto: 'https', trusted });
    expect(viaProxy).toEqual({ host: 'auth.example.org', hostname: 'auth.example.org', proto: 'https' });
  });

  it('refuses malformed Host values and strips ports and trailing dots', () => {
    expect(requestAuthority({ peer: '1.2.3.4', host: 'evil.example/x', forwardedHost: undefined, forwardedProto: undefined, trusted })).toBeUndefined();
    expect(hostnameOf('a..b')).toBeUndefined();
    expect(hostnameOf('Auth.Localhost.:3303')).toBe('auth.localhost');
    expect(hostnameOf('[::1]:3000')).toBe('[::1]');
  });

  it('knows the primary host, and every loopback name when PORTICO_URL is on loopback', () => {
    expect(isPrimaryHost('login.example.com', PRIMARY)).toBe(true);
    expect(isPrimaryHost('127.0.0.1', PRIMARY)).toBe(false);
    expect(isPrimaryHost('127.0.0.1', 'http://localhost:3000')).toBe(true);
    expect(isPrimaryHost('auth.localhost', 'http://localhost:3000')).toBe(false);
  });
});

describe('site decision', () => {
  const input = (host: string | undefined, extra: Partial<Parameters<typeof decideSite>[0]> = {}) => ({
    peer: '203.0.113.9', host, forwardedHost: undefined, forwardedProto: undefined, trusted, ...extra,
  });

  it('primary, registered domain, unknown host', async () => {
    expect(await decideSite(input('login.example.com:443'), PRIMARY, lookup)).toMatchObject({ kind: 'primary', baseUrl: PRIMARY });
    expect(await decideSite(input('auth.example.org'), PRIMARY, lookup)).toMatchObject({ kind: 'domain', baseUrl: 'https://auth.example.org' });
    expect(await decideSite(input('other.example'), PRIMARY, lookup)).toEqual({ kind: 'unknown' });
    expect(await decideSite(input(undefined), PRIMARY, lookup)).toMatchObject({ kind: 'primary' });
  });

  it('a spoofed X-Forwarded-Host from an untrusted peer cannot pick a domain (nor hide an unknown host)', async () => {
    expect(await decideSite(input('login.example.com', { forwardedHost: 'auth.example.org' }), PRIMARY, lookup)).toMatchObject({ kind: 'primary' });
    expect(await decideSite(input('other.example', { forwardedHost: 'login.example.com' }), PRIMARY, lookup)).toEqual({ kind: 'unknown' });
    expect(await decideSite(input('portico:3000', { peer: '10.0.0.1', forwardedHost: 'auth.example.org' }), PRIMARY, lookup)).toMatchObject({ kind: 'domain' });
  });
});

describe('base URL rules', () => {
  it('base URLs are scheme://host[:port] only', () => {
    expect(parseBaseUrl('https://auth.example.org')?.origin).toBe('https://auth.example.org');
    expect(parseBaseUrl('http://auth.localhost:3303/')?.origin).toBe('http://auth.localhost:3303');
    for (const bad of ['ftp://a.example', 'https://a.example/path', 'https://u:p@a.example', 'https://a.example?x=1', 'not a url']) {
      expect(parseBaseUrl(bad)).toBeUndefined();
    }
  });

  it('a domain defaults to https://{host} and its base URL must be on that host', () => {
    expect(domainFrom('auth.example.org', { poolId: 'us-east-1_Abc' })).toEqual({ domain: auth });
    expect(domainFrom('auth.example.org', { poolId: 'us-east-1_Abc', baseUrl: 'https://elsewhere.example' })).toHaveProperty('error');
    expect(HostSchema.safeParse('auth.example.org:443').success).toBe(false);
    expect(HostSchema.safeParse('10.0.0.1').success).toBe(false);
    expect(HostSchema.parse('Auth.Example.ORG')).toBe('auth.example.org');
  });

  it('the header the server set decides the base URL; PORTICO_URL stays as configured', () => {
    expect(baseUrlFrom(new Headers(), PRIMARY)).toBe(PRIMARY);
    expect(baseUrlFrom(new Headers({ [BASE_URL_HEADER]: 'https://auth.example.org' }), PRIMARY)).toBe('https://auth.example.org');
    expect(baseUrlFrom({ [BASE_URL_HEADER]: 'https://login.example.com' }, `${PRIMARY}`)).toBe(PRIMARY);
    expect(baseUrlFrom(new Headers({ [BASE_URL_HEADER]: 'javascript:alert(1)' }), PRIMARY)).toBe(PRIMARY);
    expect(isHttpsRequest(new Headers({ [BASE_URL_HEADER]: 'http://auth.localhost:3303' }), PRIMARY)).toBe(false);
  });

  it('unknown-host answers are JSON for API-ish requests', () => {
    expect(wantsJson('POST', '/', undefined, 'AWSCognitoIdentityProviderService.InitiateAuth')).toBe(true);
    expect(wantsJson('GET', '/us-east-1_Abc/.well-known/jwks.json', undefined, undefined)).toBe(true);
    expect(wantsJson('POST', '/oauth2/token', undefined, undefined)).toBe(true);
    expect(wantsJson('GET', '/login', 'text/html,application/xhtml+xml', undefined)).toBe(false);
    expect(wantsJson('GET', '/oauth2/authorize', undefined, undefined)).toBe(false);
  });
});

describe('PORTICO_DOMAINS_FILE', () => {
  const scratchDir = scratchDirs('portico-domains-');
  const write = (value: unknown) => {
    const file = path.join(scratchDir(), 'domains.json');
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };

  it('reads valid domains', () => {
    const file = write({ 'auth.example.org': { poolId: 'us-east-1_Abc' }, 'b.localhost': { poolId: 'us-east-1_Def', baseUrl: 'http://b.localhost:3000', defaultClientId: 'abc123' } });
    expect(readDomainsFile(file)).toEqual({
      domains: [auth, { host: 'b.localhost', poolId: 'us-east-1_Def', baseUrl: 'http://b.localhost:3000', defaultClientId: 'abc123' }],
    });
    expect(parseSettings({ PORTICO_DOMAINS_FILE: file }).domains).toHaveLength(2);
  });

  it('a bad file stops start-up with a message naming the setting', () => {
    for (const bad of ['{not json', { 'a.example': { poolId: 'nope' } }, { 'a.example': { poolId: 'us-east-1_Abc', extra: 1 } }, { 'a.example:80': { poolId: 'us-east-1_Abc' } }]) {
      const file = write(bad);
      expect(() => parseSettings({ PORTICO_DOMAINS_FILE: file })).toThrow(ConfigError);
      expect(() => parseSettings({ PORTICO_DOMAINS_FILE: file })).toThrow(/PORTICO_DOMAINS_FILE: /);
    }
    expect(() => parseSettings({ PORTICO_DOMAINS_FILE: '/nonexistent/domains.json' })).toThrow(/PORTICO_DOMAINS_FILE: cannot read/);
  });
});
