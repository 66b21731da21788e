import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleRevoke } from '../../lib/oauth/revoke';
import { handleToken } from '../../lib/oauth/token';
import { handleUserInfo } from '../../lib/oauth/userinfo';
import { DESCRIPTION, answer, basic, hostedTokens, httpIn, oauthWorld, type AppClient, type OAuthWorld } from './oauth-fixtures';

/**
 * /oauth2/revoke in-process (RFC 7009, reference §1.4, checklist §14): revoking a refresh token ends its
 * family; unknown and repeated revocations are 200; another client's token is left alone; access tokens
 * are unsupported_token_type; client authentication as at /oauth2/token.
 */
let w: OAuthWorld;
let noRevocation: AppClient;
beforeAll(async () => {
  w = await oauthWorld();
  noRevocation = await w.client({ EnableTokenRevocation: false });
});
afterAll(async () => w?.close());

type Form = Record<string, string | string[]>;
const revoke = async (form: Form, headers: Record<string, string> = {}) => answer(await handleRevoke(w.rt, httpIn(w, 'POST', '/oauth2/revoke', { form, headers })));
const refresh = async (c: AppClient, refreshToken: string) =>
  answer(await handleToken(w.rt, httpIn(w, 'POST', '/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: c.clientId, ...(c.secret ? { client_secret: c.secret } : {}) } })));
const userInfo = async (token: string) => answer(await handleUserInfo(w.rt, httpIn(w, 'GET', '/oauth2/userInfo', { headers: { authorization: `Bearer ${token}` } })));

function expectOk(a: Awaited<ReturnType<typeof revoke>>): void {
  expect(a.status).toBe(200);
  expect(a.raw.body).toBe('');
  expect(a.headers).toMatchObject({ 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
}

function expectError(a: Awaited<ReturnType<typeof revoke>>, status: number, error: string): void {
  expect({ status: a.status, error: a.json.error }).toEqual({ status, error });
  expect(String(a.json.error_description)).toMatch(DESCRIPTION);
  expect(a.headers['access-control-allow-origin']).toBe('*');
}

describe('revocation', () => {
  it('revoking a refresh token ends it and the access tokens of its family (public client)', async () => {
    const tokens = await hostedTokens(w, w.pub, ['openid', 'email']);
    expect((await userInfo(tokens.AccessToken!)).status).toBe(200);
    expectOk(await revoke({ token: tokens.RefreshToken!, client_id: w.pub.clientId }));
    expectError(await refresh(w.pub, tokens.RefreshToken!), 400, 'invalid_grant');
    expect((await userInfo(tokens.AccessToken!)).status).toBe(401);
    // Again, and tokens nobody issued: 200 (RFC 7009 §2.2).
    expectOk(await revoke({ token: tokens.RefreshToken!, client_id: w.pub.clientId }));
    expectOk(await revoke({ token: 'garbage', client_id: w.pub.clientId }));
    expectOk(await revoke({ token: 'x'.repeat(9000), client_id: w.pub.clientId }));
  });

  it('a confidential client authenticates with Basic or in the body', async () => {
    const a = await hostedTokens(w, w.conf, ['openid']);
    expectOk(await revoke({ token: a.RefreshToken! }, { authorization: basic(w.conf.clientId, w.conf.secret!) }));
    expectError(await refresh(w.conf, a.RefreshToken!), 400, 'invalid_grant');
    const b = await hostedTokens(w, w.conf, ['openid']);
    expectOk(await revoke({ token: b.RefreshToken!, client_id: w.conf.clientId, client_secret: w.conf.secret! }));
    expectError(await refresh(w.conf, b.RefreshToken!), 400, 'invalid_grant');
  });

  it('failed client authentication is 401 invalid_client and revokes nothing', async () => {
    const tokens = await hostedTokens(w, w.conf, ['openid']);
    const wrong = await revoke({ token: tokens.RefreshToken! }, { authorization: basic(w.conf.clientId, 'wrong') });
    expectError(wrong, 401, 'invalid_client');
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expectError(await revoke({ token: tokens.RefreshToken!, client_id: w.conf.clientId }), 401, 'invalid_client');
    expectError(await revoke({ token: tokens.RefreshToken! }), 401, 'invalid_client');
    expect((await refresh(w.conf, tokens.RefreshToken!)).status).toBe(200);
  });

  it("another client's token is left alone", async () => {
    const tokens = await hostedTokens(w, w.conf, ['openid']);
    expectOk(await revoke({ token: tokens.RefreshToken!, client_id: w.other.clientId, client_secret: w.other.secret! }));
    expectOk(await revoke({ token: tokens.RefreshToken!, client_id: w.pub.clientId }));
    expect((await refresh(w.conf, tokens.RefreshToken!)).status).toBe(200);
    expect((await userInfo(tokens.AccessToken!)).status).toBe(200);
  });

  it('token_type_hint is only a hint: a refresh token sent as an access token is revoked', async () => {
    const tokens = await hostedTokens(w, w.pub, ['openid']);
    expectOk(await revoke({ token: tokens.RefreshToken!, token_type_hint: 'access_token', client_id: w.pub.clientId }));
    expectError(await refresh(w.pub, tokens.RefreshToken!), 400, 'invalid_grant');
    const more = await hostedTokens(w, w.pub, ['openid']);
    expectOk(await revoke({ token: more.RefreshToken!, token_type_hint: 'something_else', client_id: w.pub.clientId }));
    expectError(await refresh(w.pub, more.RefreshToken!), 400, 'invalid_grant');
  });

  it('access and ID tokens are unsupported_token_type, and stay valid', async () => {
    const tokens = await hostedTokens(w, w.pub, ['openid']);
    expectError(await revoke({ token: tokens.AccessToken!, client_id: w.pub.clientId }), 400, 'unsupported_token_type');
    expectError(await revoke({ token: tokens.IdToken!, client_id: w.pub.clientId }), 400, 'unsupported_token_type');
    expect((await userInfo(tokens.AccessToken!)).status).toBe(200);
  });

  it('a client with revocation disabled gets invalid_request', async () => {
    const tokens = await hostedTokens(w, noRevocation, ['openid']);
    expectError(await revoke({ token: tokens.RefreshToken!, client_id: noRevocation.clientId }), 400, 'invalid_request');
    expect((await refresh(noRevocation, tokens.RefreshToken!)).status).toBe(200);
  });
});

describe('request shape', () => {
  it('token is required, once; the body must be a form', async () => {
    expectError(await revoke({ client_id: w.pub.clientId }), 400, 'invalid_request');
    expectError(await revoke({ client_id: w.pub.clientId, token: ['a', 'b'] }), 400, 'invalid_request');
    const json = answer(
      await handleRevoke(w.rt, httpIn(w, 'POST', '/oauth2/revoke', { headers: { 'content-type': 'application/json' }, body: '{"token":"x"}' })),
    );
    expectError(json, 400, 'invalid_request');
  });

  it('GET and other methods are 405; OPTIONS is the CORS preflight', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const a = answer(await handleRevoke(w.rt, httpIn(w, method, '/oauth2/revoke')));
      expect(a.status).toBe(405);
      expect(a.headers.allow).toBe('POST, OPTIONS');
    }
    const pre = await handleRevoke(w.rt, httpIn(w, 'OPTIONS', '/oauth2/revoke'));
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
  });
});
