import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { openDb, type Db } from '../../lib/db';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import { validateAuthorizeRequest } from '../../lib/oauth/authorize';

/**
 * The authorization-request checks, table-driven against fixed app-client descriptions (no pool): which
 * request gets which error, whether it is a page or a redirect, and what a valid request becomes.
 */
const POOL = 'us-east-1_Unit0001';
const CB = 'https://rp.example/cb';
const CB2 = 'https://rp.example/cb2';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const base: UserPoolClientType = {
  UserPoolId: POOL,
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code'],
  AllowedOAuthScopes: ['openid', 'email', 'profile', 'api/read'],
  CallbackURLs: [CB, CB2],
  SupportedIdentityProviders: ['COGNITO'],
};
const clients: Record<string, UserPoolClientType> = {
  pub: { ...base, ClientId: 'pub' },
  conf: { ...base, ClientId: 'conf', ClientSecret: 'sekret', AllowedOAuthFlows: ['code', 'implicit'], CallbackURLs: [CB] },
  strict: { ...base, ClientId: 'strict', ClientSecret: 'sekret' },
  dflt: { ...base, ClientId: 'dflt', ClientSecret: 'sekret', DefaultRedirectURI: CB2 },
  nooauth: { ...base, ClientId: 'nooauth', AllowedOAuthFlowsUserPoolClient: false },
  noidp: { ...base, ClientId: 'noidp', SupportedIdentityProviders: [] },
  apionly: { ...base, ClientId: 'apionly', ClientSecret: 'sekret', AllowedOAuthScopes: ['api/read'] },
};

let db: Db;
let dir: string;
let rt: HostedRuntime;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-unit-'));
  db = await openDb({ sqlitePath: path.join(dir, 'db.sqlite') });
  await db.insertInto('client_settings').values({ client_id: 'strict', settings: JSON.stringify({ requirePkce: true }), updated_at: 0 }).execute();
  rt = {
    db,
    directory: {
      appClient: async (id: string) => {
        if (id === 'broken') throw new Error('pool unreachable');
        return clients[id];
      },
    },
  } as unknown as HostedRuntime;
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const good = { client_id: 'pub', redirect_uri: CB, response_type: 'code', code_challenge: CHALLENGE, code_challenge_method: 'S256' };
type Query = Record<string, string | string[] | undefined>;
function pairs(q: Query): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  }
  return out;
}
const validate = (q: Query) => validateAuthorizeRequest(rt, pairs(q));

describe('errors shown on the error page (client or redirect URI not established)', () => {
  const cases: Array<[string, Query, string]> = [
    ['missing client_id', { ...good, client_id: undefined }, 'invalid_request'],
    ['unknown client', { ...good, client_id: 'nope' }, 'invalid_client'],
    ['malformed client_id', { ...good, client_id: 'a b' }, 'invalid_client'],
    ['client_id twice', { ...good, client_id: ['pub', 'pub'] }, 'invalid_request'],
    ['client_id too long', { ...good, client_id: 'a'.repeat(129) }, 'invalid_request'],
    ['client not enabled for OAuth', { ...good, client_id: 'nooauth' }, 'unauthorized_client'],
    ['client without the Cognito directory', { ...good, client_id: 'noidp' }, 'unauthorized_client'],
    ['redirect_uri twice', { ...good, redirect_uri: [CB, CB] }, 'invalid_request'],
    ['redirect_uri too long', { ...good, redirect_uri: `${CB}?${'x'.repeat(1100)}` }, 'invalid_request'],
    ['several callbacks, none sent', { ...good, redirect_uri: undefined }, 'invalid_request'],
    ['pool unreachable', { ...good, client_id: 'broken' }, 'temporarily_unavailable'],
  ];
  const altered = [`${CB}/`, 'https://rp.example/CB', `${CB}?x=1`, `${CB}#f`, 'http://rp.example/cb', 'https://rp.example:444/cb',
    'https://rp.example.evil.example/cb', 'https://rp.example@evil.example/cb', 'https://rp.example/cb/../cb', 'https://rp.example/%63b', 'https://evil.example/cb'];
  for (const uri of altered) cases.push([`redirect_uri ${uri}`, { ...good, redirect_uri: uri }, 'redirect_mismatch']);

  it.each(cases)('%s', async (_name, query, error) => {
    const r = await validate(query);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.error).toBe(error);
    expect(r.error.redirectable).toBe(false);
    expect(r.request).toBeUndefined();
    expect(r.error.description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
  });
});

describe('errors redirected to the client', () => {
  const cases: Array<[string, Query, string]> = [
    ['missing response_type', { ...good, response_type: undefined }, 'invalid_request'],
    ['response_type id_token', { ...good, response_type: 'id_token' }, 'unsupported_response_type'],
    ['hybrid response_type', { ...good, response_type: 'code id_token' }, 'unsupported_response_type'],
    ['implicit not allowed for the client', { ...good, response_type: 'token' }, 'unauthorized_client'],
    ['response_type twice', { ...good, response_type: ['code', 'code'] }, 'invalid_request'],
    ['scope twice', { ...good, scope: ['openid', 'email'] }, 'invalid_request'],
    ['state twice', { ...good, state: ['a', 'b'] }, 'invalid_request'],
    ['scope with a quote', { ...good, scope: 'openid "bad' }, 'invalid_scope'],
    ['scope with a tab', { ...good, scope: 'openid\temail' }, 'invalid_scope'],
    ['unknown scope', { ...good, scope: 'openid offline_access' }, 'invalid_scope'],
    ['no allowed scope left', { ...good, scope: 'api/write' }, 'invalid_scope'],
    ['only a claim scope without openid', { ...good, scope: 'email' }, 'invalid_scope'],
    ['scope too long', { ...good, scope: 'a/b '.repeat(1100) }, 'invalid_request'],
    ['public client without PKCE', { ...good, code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['PKCE required by Portico settings', { ...good, client_id: 'strict', code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['plain PKCE', { ...good, code_challenge_method: 'plain' }, 'invalid_request'],
    ['unknown PKCE method', { ...good, code_challenge_method: 'S512' }, 'invalid_request'],
    ['challenge without method', { ...good, code_challenge_method: undefined }, 'invalid_request'],
    ['method without challenge', { ...good, code_challenge: undefined }, 'invalid_request'],
    ['42-character challenge', { ...good, code_challenge: CHALLENGE.slice(1) }, 'invalid_request'],
    ['44-character challenge', { ...good, code_challenge: `${CHALLENGE}A` }, 'invalid_request'],
    ['129-character challenge', { ...good, code_challenge: 'A'.repeat(129) }, 'invalid_request'],
    ['challenge with padding', { ...good, code_challenge: `${CHALLENGE.slice(1)}=` }, 'invalid_request'],
    ['challenge with +/', { ...good, code_challenge: `+/${CHALLENGE.slice(2)}` }, 'invalid_request'],
    ['prompt none with login', { ...good, prompt: 'none login' }, 'invalid_request'],
    ['unknown prompt', { ...good, prompt: 'create' }, 'invalid_request'],
    ['negative max_age', { ...good, max_age: '-1' }, 'invalid_request'],
    ['fractional max_age', { ...good, max_age: '1.5' }, 'invalid_request'],
    ['huge max_age', { ...good, max_age: '99999999999' }, 'invalid_request'],
    ['federated identity_provider', { ...good, identity_provider: 'Google' }, 'invalid_request'],
    ['idp_identifier', { ...good, idp_identifier: 'example.com' }, 'invalid_request'],
    ['request object', { ...good, request: 'eyJ.x.y' }, 'request_not_supported'],
    ['request_uri', { ...good, request_uri: 'https://rp.example/r' }, 'request_uri_not_supported'],
    ['response_mode fragment for code', { ...good, response_mode: 'fragment' }, 'invalid_request'],
    ['response_mode form_post', { ...good, response_mode: 'form_post' }, 'invalid_request'],
    ['nonce too long', { ...good, nonce: 'n'.repeat(4097) }, 'invalid_request'],
    ['login_hint too long', { ...good, login_hint: 'u'.repeat(513) }, 'invalid_request'],
  ];

  it.each(cases)('%s', async (_name, query, error) => {
    const r = await validate({ ...query, state: query.state ?? 'S-1' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.error).toBe(error);
    expect(r.error.redirectable).toBe(true);
    expect(r.request?.redirectUri).toBe(CB);
    expect(r.poolId).toBe(POOL);
    expect(r.error.description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
  });

  it('echoes the state, and uses the fragment for a token request', async () => {
    const code = await validate({ ...good, state: 'xyz', prompt: 'bogus' });
    expect(code).toMatchObject({ ok: false, request: { redirectUri: CB, responseType: 'code', state: 'xyz' } });
    const token = await validate({ ...good, response_type: 'token', state: 'xyz' });
    expect(token).toMatchObject({ ok: false, error: { error: 'unauthorized_client' }, request: { responseType: 'token', state: 'xyz' } });
  });

  it('drops a state it refuses rather than echoing it', async () => {
    const tooLong = await validate({ ...good, state: 's'.repeat(4097) });
    expect(tooLong).toMatchObject({ ok: false, error: { error: 'invalid_request' } });
    if (!tooLong.ok) expect(tooLong.request?.state).toBeUndefined();
    const twice = await validate({ ...good, state: ['a', 'b'] });
    if (!twice.ok) expect(twice.request?.state).toBeUndefined();
  });
});

describe('valid requests', () => {
  it('a public client with PKCE: everything the sign-in needs', async () => {
    const state = `${'s'.repeat(2040)}~._-`;
    const nonce = 'n-'.repeat(1024);
    const r = await validate({
      ...good,
      scope: 'openid email api/read',
      state,
      nonce,
      prompt: 'login',
      max_age: '0',
      login_hint: 'ravi@example.com',
      lang: 'es',
      ui_locales: 'ar en',
      identity_provider: 'COGNITO',
      extra: 'foobar',
      acr_values: 'urn:x',
      display: 'page',
    });
    expect(r).toEqual({
      ok: true,
      client: clients.pub,
      request: {
        clientId: 'pub',
        poolId: POOL,
        responseType: 'code',
        redirectUri: CB,
        scopes: ['openid', 'email', 'api/read'],
        state,
        nonce,
        codeChallenge: CHALLENGE,
        codeChallengeMethod: 'S256',
        prompt: 'login',
        maxAge: 0,
        loginHint: 'ravi@example.com',
        lang: 'es',
        uiLocales: 'ar en',
      },
    });
  });

  it('ignores unknown parameters even when repeated', async () => {
    expect((await validate({ ...good, extra: ['1', '2'] })).ok).toBe(true);
  });

  const scopeCases: Array<[string, string | undefined, string, string[]]> = [
    ['omitted: every client scope', undefined, 'pub', ['openid', 'email', 'profile', 'api/read']],
    ['scopes the client may not have are dropped', 'openid api/write phone aws.cognito.signin.user.admin', 'pub', ['openid']],
    ['claim scopes without openid are dropped', 'email profile api/read', 'pub', ['api/read']],
    ['any order, duplicates once', 'email  openid email', 'pub', ['email', 'openid']],
    ['a client with resource-server scopes only', undefined, 'apionly', ['api/read']],
  ];
  it.each(scopeCases)('scope %s', async (_name, scope, clientId, scopes) => {
    const r = await validate({ ...good, client_id: clientId, scope });
    expect(r.ok && r.request.scopes).toEqual(scopes);
  });

  it('redirect_uri may be omitted with one callback or a DefaultRedirectURI', async () => {
    const one = await validate({ client_id: 'conf', response_type: 'code' });
    expect(one.ok && one.request.redirectUri).toBe(CB);
    const dflt = await validate({ client_id: 'dflt', response_type: 'code' });
    expect(dflt.ok && dflt.request.redirectUri).toBe(CB2);
  });

  it('PKCE is optional for a confidential client unless its settings require it', async () => {
    const r = await validate({ client_id: 'conf', response_type: 'code' });
    expect(r.ok && r.request.codeChallenge).toBeUndefined();
    const strict = await validate({ ...good, client_id: 'strict' });
    expect(strict.ok && strict.request.codeChallenge).toBe(CHALLENGE);
  });

  it('implicit for a client that lists it, without PKCE', async () => {
    const r = await validate({ client_id: 'conf', response_type: 'token', response_mode: 'fragment', scope: 'openid' });
    expect(r.ok && r.request).toMatchObject({ responseType: 'token', scopes: ['openid'] });
  });

  it('prompt keeps the value with an effect', async () => {
    const r = await validate({ ...good, prompt: 'consent login' });
    expect(r.ok && r.request.prompt).toBe('login');
    const none = await validate({ ...good, prompt: 'none' });
    expect(none.ok && none.request.prompt).toBe('none');
  });
});
