import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDisableUserCommand, AdminEnableUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { handleToken } from '../../lib/oauth/token';
import { handleUserInfo } from '../../lib/oauth/userinfo';
import { CODE_TTL_MS } from '../../lib/oauth/codes';
import { createPoolClient } from '../../lib/pool-client/client';
import {
  CB,
  CB2,
  CHALLENGE,
  DESCRIPTION,
  USERNAME,
  VERIFIER,
  answer,
  basic,
  hostedTokens,
  httpIn,
  issueTestCode,
  oauthWorld,
  type AppClient,
  type OAuthWorld,
} from './oauth-fixtures';

/**
 * /oauth2/token in-process (reference §1.2; security checklist §2–3): codes issued with lib/oauth/codes
 * over pool tokens, redeemed through handleToken with every client-authentication method, and every
 * negative case: wrong secrets, reuse (revokes), replays with wrong parameters (revoke nothing),
 * cross-client redemption, expiry, redirect and PKCE mismatches, refresh bound to its client.
 */
let w: OAuthWorld;
beforeAll(async () => {
  w = await oauthWorld();
});
afterAll(async () => w?.close());

type Form = Record<string, string | string[]>;
const token = async (form: Form, headers: Record<string, string> = {}) => answer(await handleToken(w.rt, httpIn(w, 'POST', '/oauth2/token', { form, headers })));
const userInfo = async (accessToken: string) =>
  answer(await handleUserInfo(w.rt, httpIn(w, 'GET', '/oauth2/userInfo', { headers: { authorization: `Bearer ${accessToken}` } })));
const redeem = (c: AppClient, code: string, extra: Form = {}) =>
  token({ grant_type: 'authorization_code', code, redirect_uri: CB, client_id: c.clientId, code_verifier: VERIFIER, ...extra });

function expectError(a: Awaited<ReturnType<typeof token>>, status: number, error: string): void {
  expect({ status: a.status, error: a.json.error }).toEqual({ status, error });
  expect(String(a.json.error_description ?? '')).toMatch(DESCRIPTION);
  expect(a.headers['cache-control']).toBe('no-store');
  expect(a.headers.pragma).toBe('no-cache');
  expect(a.headers['access-control-allow-origin']).toBe('*');
}

describe('authorization_code grant', () => {
  it('a public client with PKCE gets access, ID and refresh tokens', async () => {
    const { code, tokens } = await issueTestCode(w, w.pub, { nonce: 'n-0S6_WzA2Mj' });
    const a = await redeem(w.pub, code);
    expect(a.status).toBe(200);
    expect(a.headers).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache', 'access-control-allow-origin': '*' });
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(a.json).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type']);
    expect(a.json).toMatchObject({ access_token: tokens.AccessToken, id_token: tokens.IdToken, refresh_token: tokens.RefreshToken, token_type: 'Bearer' });
    expect(a.json.expires_in).toBeGreaterThan(3500);
    expect(a.json.expires_in).toBeLessThanOrEqual(3600);
    expect(decodeJwt(String(a.json.id_token))).toMatchObject({ nonce: 'n-0S6_WzA2Mj', aud: w.pub.clientId });
    expect(decodeJwt(String(a.json.access_token)).scope).toBe('openid email');
  });

  it('no ID token without openid', async () => {
    const { code } = await issueTestCode(w, w.pub, { scopes: ['aws.cognito.signin.user.admin'] });
    const a = await redeem(w.pub, code);
    expect(a.status).toBe(200);
    expect(a.json.id_token).toBeUndefined();
    expect(a.json.refresh_token).toBeTruthy();
  });

  it('expires_in is what the access token has left', async () => {
    const { code } = await issueTestCode(w, w.pub);
    w.t.clock.advance(120_000);
    const a = await redeem(w.pub, code);
    expect(a.json.expires_in).toBeGreaterThan(3400);
    expect(a.json.expires_in).toBeLessThanOrEqual(3480);
  });

  it('a confidential client authenticates with client_secret_basic or client_secret_post', async () => {
    const c = w.conf;
    const first = await issueTestCode(w, c, { challenge: null });
    const viaBasic = await token({ grant_type: 'authorization_code', code: first.code, redirect_uri: CB }, { authorization: basic(c.clientId, c.secret!) });
    expect(viaBasic.status).toBe(200);
    const second = await issueTestCode(w, c);
    const viaPost = await redeem(c, second.code, { client_secret: c.secret! });
    expect(viaPost.status).toBe(200);
    // Basic may repeat the client_id in the body (Cognito's documented form).
    const third = await issueTestCode(w, c, { challenge: null });
    const both = await token({ grant_type: 'authorization_code', code: third.code, redirect_uri: CB, client_id: c.clientId }, { authorization: basic(c.clientId, c.secret!) });
    expect(both.status).toBe(200);
  });

  it('a code is single use: the second redemption is refused and revokes what the first issued', async () => {
    const { code } = await issueTestCode(w, w.pub);
    const first = await redeem(w.pub, code);
    expect(first.status).toBe(200);
    expect((await userInfo(String(first.json.access_token))).status).toBe(200);
    expectError(await redeem(w.pub, code), 400, 'invalid_grant');
    expect((await userInfo(String(first.json.access_token))).status).toBe(401);
    expectError(await token({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token), client_id: w.pub.clientId }), 400, 'invalid_grant');
  });

  it('concurrent redemptions: exactly one succeeds', async () => {
    const { code } = await issueTestCode(w, w.pub);
    const results = await Promise.all([redeem(w.pub, code), redeem(w.pub, code), redeem(w.pub, code)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });

  it('replays with wrong parameters revoke nothing', async () => {
    const { code } = await issueTestCode(w, w.pub);
    const first = await redeem(w.pub, code);
    expect(first.status).toBe(200);
    expectError(await redeem(w.pub, code, { code_verifier: `${VERIFIER.slice(1)}x` }), 400, 'invalid_grant');
    expectError(await redeem(w.pub, code, { redirect_uri: CB2 }), 400, 'invalid_grant');
    expectError(await redeem(w.other, code, { client_secret: w.other.secret! }), 400, 'invalid_grant');
    expectError(await redeem(w.pub, code, { code_verifier: [] }), 400, 'invalid_grant');
    expect((await userInfo(String(first.json.access_token))).status).toBe(200);
  });

  it('is bound to its client: another client with valid credentials gets invalid_grant, the code survives', async () => {
    const { code } = await issueTestCode(w, w.conf);
    expectError(await redeem(w.other, code, { client_secret: w.other.secret! }), 400, 'invalid_grant');
    expectError(await redeem(w.pub, code), 400, 'invalid_grant');
    expect((await redeem(w.conf, code, { client_secret: w.conf.secret! })).status).toBe(200);
  });

  it('expires after the code lifetime', async () => {
    const { code } = await issueTestCode(w, w.pub);
    w.t.clock.advance(CODE_TTL_MS + 1000);
    const a = await redeem(w.pub, code);
    expectError(a, 400, 'invalid_grant');
    expect(a.json.error_description).toBe('The authorization code has expired');
  });

  it('redirect_uri must equal the one of the authorization request', async () => {
    const { code } = await issueTestCode(w, w.pub, { redirectUri: CB2 });
    expectError(await redeem(w.pub, code), 400, 'invalid_grant');
    expectError(await redeem(w.pub, code, { redirect_uri: `${CB2}/` }), 400, 'invalid_grant');
    expectError(await redeem(w.pub, code, { redirect_uri: [] }), 400, 'invalid_request');
    expect((await redeem(w.pub, code, { redirect_uri: CB2 })).status).toBe(200);
  });

  it('PKCE: missing, wrong or malformed verifiers are invalid_grant and leave the code usable', async () => {
    const { code } = await issueTestCode(w, w.pub);
    const bad = [
      [],
      `${VERIFIER.slice(0, -1)}A`,
      VERIFIER.slice(0, 42),
      'a'.repeat(129),
      `${VERIFIER.slice(0, -1)}+`,
      CHALLENGE, // the challenge itself (a "plain" verifier)
    ];
    for (const v of bad) {
      const a = await redeem(w.pub, code, { code_verifier: v });
      expectError(a, 400, 'invalid_grant');
    }
    expect((await redeem(w.pub, code)).status).toBe(200);
  });

  it('PKCE downgrade: a verifier for a code issued without a challenge is refused', async () => {
    const { code } = await issueTestCode(w, w.conf, { challenge: null });
    expectError(await redeem(w.conf, code, { client_secret: w.conf.secret! }), 400, 'invalid_grant');
    expect((await redeem(w.conf, code, { client_secret: w.conf.secret!, code_verifier: [] })).status).toBe(200);
  });

  it('unknown and garbage codes are invalid_grant; beyond the length cap the request is invalid', async () => {
    for (const code of ['nope', 'x'.repeat(129), 'x'.repeat(2048), '"\\<>']) {
      expectError(await redeem(w.pub, code), 400, 'invalid_grant');
    }
    expectError(await redeem(w.pub, 'x'.repeat(2049)), 400, 'invalid_request');
    expectError(await redeem(w.pub, 'nope', { code_verifier: 'a'.repeat(1025) }), 400, 'invalid_request');
    expectError(await token({ grant_type: 'authorization_code', redirect_uri: CB, client_id: w.pub.clientId }), 400, 'invalid_request');
  });

  it('a user disabled between sign-in and redemption gets no tokens', async () => {
    const { code } = await issueTestCode(w, w.pub);
    await w.t.adminClient().send(new AdminDisableUserCommand({ UserPoolId: w.poolId, Username: USERNAME }));
    try {
      expectError(await redeem(w.pub, code), 400, 'invalid_grant');
    } finally {
      await w.t.adminClient().send(new AdminEnableUserCommand({ UserPoolId: w.poolId, Username: USERNAME }));
    }
  });

  it('a pool that cannot answer at redemption leaves the code live for the retry', async () => {
    const { code, tokens } = await issueTestCode(w, w.pub);
    // The user check at redemption fails as an unreachable pool would (not a Cognito error).
    const cognito = createPoolClient({
      region: 'us-east-1',
      publicUrl: w.t.url,
      credentials: { accessKeyId: w.t.admin.keyId, secretAccessKey: w.t.admin.secret },
      wire: async () => async (req) => {
        if (req.headers['x-amz-target']?.endsWith('.AdminGetUser')) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
        return w.t.engine.handle(req);
      },
    });
    const form = { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: w.pub.clientId, code_verifier: VERIFIER };
    const failed = await handleToken({ ...w.rt, cognito }, httpIn(w, 'POST', '/oauth2/token', { form })).catch((e: unknown) => e);
    // Whatever the front does with the error (the server answers 503), no tokens came out.
    expect(failed instanceof Error || (failed as { status: number }).status >= 500).toBe(true);
    cognito.destroy();
    const retried = await redeem(w.pub, code);
    expect(retried.status).toBe(200);
    expect(retried.json.access_token).toBe(tokens.AccessToken);
    // Still single use.
    expectError(await redeem(w.pub, code), 400, 'invalid_grant');
  });

  it('a client no longer allowed the code flow is unauthorized_client', async () => {
    const implicitOnly = await w.client({ AllowedOAuthFlows: ['implicit'] });
    const { code } = await issueTestCode(w, implicitOnly);
    expectError(await redeem(implicitOnly, code), 400, 'unauthorized_client');
  });
});

describe('client authentication', () => {
  it('a wrong secret via Basic is 401 invalid_client with a Basic challenge', async () => {
    const { code } = await issueTestCode(w, w.conf);
    const a = await token({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER }, { authorization: basic(w.conf.clientId, 'wrong') });
    expectError(a, 401, 'invalid_client');
    expect(a.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"/);
    // The failed attempt did not consume the code.
    expect((await redeem(w.conf, code, { client_secret: w.conf.secret! })).status).toBe(200);
  });

  it('refuses missing, wrong and misplaced credentials', async () => {
    const { code } = await issueTestCode(w, w.conf);
    const base = { grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER };
    expectError(await token({ ...base, client_id: w.conf.clientId }), 401, 'invalid_client');
    expectError(await token({ ...base, client_id: w.conf.clientId, client_secret: 'wrong' }), 401, 'invalid_client');
    expectError(await token({ ...base, client_id: w.conf.clientId, client_secret: w.other.secret! }), 401, 'invalid_client');
    expectError(await token(base), 401, 'invalid_client');
    expectError(await token({ ...base, client_id: 'unknownclient' }), 401, 'invalid_client');
    expectError(await token({ ...base, client_id: w.pub.clientId, client_secret: 'anything' }), 401, 'invalid_client');
    expectError(await token({ ...base, client_secret: w.conf.secret! }, { authorization: basic(w.conf.clientId, w.conf.secret!) }), 400, 'invalid_request');
    expectError(await token(base, { authorization: 'Basic !!!' }), 401, 'invalid_client');
  });

  it('a secret with + works through form-encoded and raw Basic (the pool allows only [\\w+] in secrets)', async () => {
    await expect(w.client({ ClientSecret: 'ab:cd%20ef' }, true)).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const secret = 'Abc+def+ghijklmnopqrstuvwxyz0123';
    const plus = await w.client({ ClientSecret: secret }, true);
    expect(plus.secret).toBe(secret);
    const raw = `Basic ${Buffer.from(`${plus.clientId}:${secret}`).toString('base64')}`;
    for (const authorization of [basic(plus.clientId, secret), raw]) {
      const { code } = await issueTestCode(w, plus);
      const a = await token({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER }, { authorization });
      expect(a.status).toBe(200);
    }
    const { code } = await issueTestCode(w, plus);
    const near = await token({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER }, { authorization: basic(plus.clientId, secret.replace(/\+/g, '-')) });
    expectError(near, 401, 'invalid_client');
  });
});

describe('request shape', () => {
  it('POST only; OPTIONS is the CORS preflight', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const a = answer(await handleToken(w.rt, httpIn(w, method, '/oauth2/token')));
      expect(a.status).toBe(405);
      expect(a.headers.allow).toBe('POST, OPTIONS');
    }
    const pre = await handleToken(w.rt, httpIn(w, 'OPTIONS', '/oauth2/token', { headers: { origin: 'https://spa.example' } }));
    expect(pre.status).toBe(204);
    expect(pre.headers).toMatchObject({ 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST, OPTIONS' });
    expect(pre.headers['access-control-allow-headers']).toMatch(/authorization/);
  });

  it('form-encoded bodies only, each parameter once', async () => {
    const { code } = await issueTestCode(w, w.pub);
    const json = answer(
      await handleToken(
        w.rt,
        httpIn(w, 'POST', '/oauth2/token', {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: CB, client_id: w.pub.clientId, code_verifier: VERIFIER }),
        }),
      ),
    );
    expectError(json, 400, 'invalid_request');
    expectError(await redeem(w.pub, code, { code: [code, code] }), 400, 'invalid_request');
    expectError(await redeem(w.pub, code, { code_verifier: [VERIFIER, VERIFIER] }), 400, 'invalid_request');
    // A form with a charset parameter is still a form.
    const withCharset = await handleToken(
      w.rt,
      httpIn(w, 'POST', '/oauth2/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        form: { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: w.pub.clientId, code_verifier: VERIFIER },
      }),
    );
    expect(withCharset.status).toBe(200);
  });

  it('grant types: missing is invalid_request, others unsupported_grant_type', async () => {
    expectError(await token({ client_id: w.pub.clientId }), 400, 'invalid_request');
    for (const grant of ['password', 'client_credentials', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code', 'nonsense']) {
      expectError(await token({ grant_type: grant, client_id: w.conf.clientId, client_secret: w.conf.secret!, username: USERNAME, password: 'x' }), 400, 'unsupported_grant_type');
    }
  });
});

describe('refresh_token grant', () => {
  it('a public client gets new access and ID tokens, no new refresh token', async () => {
    const { code } = await issueTestCode(w, w.pub, { scopes: ['openid', 'email', 'profile'] });
    const first = await redeem(w.pub, code);
    const a = await token({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token), client_id: w.pub.clientId });
    expect(a.status).toBe(200);
    expect(Object.keys(a.json).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'token_type']);
    expect(a.headers).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache', 'access-control-allow-origin': '*' });
    expect(decodeJwt(String(a.json.access_token)).scope).toBe('openid email profile');
    const before = decodeJwt(String(first.json.id_token));
    const after = decodeJwt(String(a.json.id_token));
    expect(after).toMatchObject({ iss: before.iss, sub: before.sub, aud: before.aud, auth_time: before.auth_time });
  });

  it('a confidential client refreshes with its secret (GetTokensFromRefreshToken)', async () => {
    const { code } = await issueTestCode(w, w.conf);
    const first = await redeem(w.conf, code, { client_secret: w.conf.secret! });
    const rt = String(first.json.refresh_token);
    expect((await token({ grant_type: 'refresh_token', refresh_token: rt }, { authorization: basic(w.conf.clientId, w.conf.secret!) })).status).toBe(200);
    expectError(await token({ grant_type: 'refresh_token', refresh_token: rt }, { authorization: basic(w.conf.clientId, 'wrong') }), 401, 'invalid_client');
  });

  it("another client's refresh token is invalid_grant", async () => {
    const { code } = await issueTestCode(w, w.conf);
    const first = await redeem(w.conf, code, { client_secret: w.conf.secret! });
    const a = await token({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token), client_id: w.other.clientId, client_secret: w.other.secret! });
    expectError(a, 400, 'invalid_grant');
    expectError(await token({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token), client_id: w.pub.clientId }), 400, 'invalid_grant');
  });

  it('garbage and missing refresh tokens', async () => {
    expectError(await token({ grant_type: 'refresh_token', refresh_token: 'garbage', client_id: w.pub.clientId }), 400, 'invalid_grant');
    expectError(await token({ grant_type: 'refresh_token', client_id: w.pub.clientId }), 400, 'invalid_request');
  });

  it('scope may narrow (answered with the actual scope) but never widen', async () => {
    const { code } = await issueTestCode(w, w.pub, { scopes: ['openid', 'email'] });
    const first = await redeem(w.pub, code);
    const rt = String(first.json.refresh_token);
    const same = await token({ grant_type: 'refresh_token', refresh_token: rt, client_id: w.pub.clientId, scope: 'email openid' });
    expect(same.status).toBe(200);
    expect(same.json.scope).toBe('openid email');
    const narrower = await token({ grant_type: 'refresh_token', refresh_token: rt, client_id: w.pub.clientId, scope: 'openid' });
    expect(narrower.status).toBe(200);
    expectError(await token({ grant_type: 'refresh_token', refresh_token: rt, client_id: w.pub.clientId, scope: 'openid phone' }), 400, 'invalid_scope');
    expectError(await token({ grant_type: 'refresh_token', refresh_token: rt, client_id: w.pub.clientId, scope: 'openid "x' }), 400, 'invalid_scope');
  });

  it('with rotation enabled a new refresh token comes back', async () => {
    const rotating = await w.client({ RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } }, true);
    const { code } = await issueTestCode(w, rotating);
    const first = await redeem(rotating, code, { client_secret: rotating.secret! });
    const a = await token({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token), client_id: rotating.clientId, client_secret: rotating.secret! });
    expect(a.status).toBe(200);
    expect(a.json.refresh_token).toBeTruthy();
    expect(a.json.refresh_token).not.toBe(first.json.refresh_token);
  });

  it('refreshes tokens from an API sign-in too', async () => {
    const tokens = await hostedTokens(w, w.pub, ['openid']);
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.RefreshToken!, client_id: w.pub.clientId })).status).toBe(200);
  });
});
