import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { handleUserInfo } from '../../lib/oauth/userinfo';
import { passwordSignIn } from '../helpers/self-service';
import { PASSWORD } from './auth-fixtures';
import { DESCRIPTION, USERNAME, answer, hostedTokens, httpIn, oauthWorld, type OAuthWorld } from './oauth-fixtures';

/**
 * /oauth2/userInfo in-process (reference §1.3, decision 3, checklist 35): Bearer header only, claims by
 * the token's scopes with verified flags as strings, Cognito's error answers with WWW-Authenticate.
 */
let w: OAuthWorld;
beforeAll(async () => {
  w = await oauthWorld();
});
afterAll(async () => w?.close());

const call = async (method: string, o: Parameters<typeof httpIn>[3] = {}, path = '/oauth2/userInfo') => answer(await handleUserInfo(w.rt, httpIn(w, method, path, o)));
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const access = async (scopes: string[]) => (await hostedTokens(w, w.pub, scopes)).AccessToken!;

/**
 * The token with one digit in the middle of its signature changed, so the signature's bytes change. Not
 * the last digits: of a 256-byte signature's last base64url digit only two bits count, and decoders ignore
 * the rest, so replacing the last two with "xx" gave the same bytes whenever they were "x" and one of
 * w–z, 0–9, - or _ (one run in 256, as this test once found).
 */
function withSignatureChanged(jwt: string): string {
  const i = jwt.length - 10;
  return `${jwt.slice(0, i)}${jwt[i] === 'A' ? 'B' : 'A'}${jwt.slice(i + 1)}`;
}

function expectChallenge(a: Awaited<ReturnType<typeof call>>, status: number, error: string): void {
  expect({ status: a.status, error: a.json.error }).toEqual({ status, error });
  expect(a.headers['www-authenticate']).toMatch(new RegExp(`^Bearer error="${error}", error_description="[^"]+"$`));
  expect(String(a.json.error_description)).toMatch(DESCRIPTION);
  expect(a.headers['access-control-allow-origin']).toBe('*');
}

describe('claims', () => {
  it('openid alone: every readable attribute, sub and username, verified flags as strings', async () => {
    const a = await call('GET', bearer(await access(['openid'])));
    expect(a.status).toBe(200);
    expect(a.headers).toMatchObject({ 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    expect(a.json).toMatchObject({
      username: USERNAME,
      email: 'ravi@example.com',
      email_verified: 'true',
      phone_number: '+15555550100',
      name: 'Ravi Shankar',
      'custom:plan': 'gold',
    });
    expect(a.json.sub).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('email, phone and profile each add their own attributes', async () => {
    const email = await call('GET', bearer(await access(['openid', 'email'])));
    expect(Object.keys(email.json).sort()).toEqual(['email', 'email_verified', 'sub', 'username']);
    const phone = await call('GET', bearer(await access(['openid', 'phone'])));
    expect(phone.json.phone_number).toBe('+15555550100');
    expect(phone.json.email).toBeUndefined();
    const profile = await call('GET', bearer(await access(['openid', 'profile'])));
    expect(profile.json).toMatchObject({ name: 'Ravi Shankar', 'custom:plan': 'gold' });
    expect(profile.json.email).toBeUndefined();
    const admin = await call('GET', bearer(await access(['openid', 'email', 'aws.cognito.signin.user.admin'])));
    expect(Object.keys(admin.json).sort()).toEqual(['email', 'email_verified', 'sub', 'username']);
  });

  it('POST with the header works too', async () => {
    const a = await call('POST', { ...bearer(await access(['openid'])), form: {} });
    expect(a.status).toBe(200);
    expect(a.json.username).toBe(USERNAME);
  });
});

describe('refusals', () => {
  it('a token anywhere but the header is invalid_request (checklist 35)', async () => {
    const token = await access(['openid']);
    expectChallenge(await call('GET', {}, `/oauth2/userInfo?access_token=${token}`), 400, 'invalid_request');
    expectChallenge(await call('POST', { form: { access_token: token } }), 400, 'invalid_request');
    expectChallenge(await call('GET', bearer(token), `/oauth2/userInfo?access_token=${token}`), 400, 'invalid_request');
    expectChallenge(await call('GET'), 400, 'invalid_request');
    expectChallenge(await call('GET', { headers: { authorization: `Basic ${token}` } }), 400, 'invalid_request');
  });

  it('invalid, expired, revoked and signed-out tokens are 401 invalid_token', async () => {
    expectChallenge(await call('GET', bearer('not.a.jwt')), 401, 'invalid_token');
    const token = await access(['openid']);
    expectChallenge(await call('GET', bearer(withSignatureChanged(token))), 401, 'invalid_token');

    const api = await passwordSignIn(w.t.publicClient(), w.pub.clientId, USERNAME, PASSWORD);
    const other = await access(['openid']);
    await w.t.publicClient().send(new GlobalSignOutCommand({ AccessToken: api.AccessToken }));
    const signedOut = await call('GET', bearer(other));
    expectChallenge(signedOut, 401, 'invalid_token');
    expect(signedOut.json.error_description).toBe('Access token is expired, disabled, or deleted, or the user has globally signed out.');

    const fresh = await access(['openid']);
    w.t.clock.advance(3601_000);
    expectChallenge(await call('GET', bearer(fresh)), 401, 'invalid_token');
  });

  it('a token without openid is refused with insufficient_scope', async () => {
    const api = await passwordSignIn(w.t.publicClient(), w.pub.clientId, USERNAME, PASSWORD);
    expectChallenge(await call('GET', bearer(api.AccessToken!)), 403, 'insufficient_scope');
    expectChallenge(await call('GET', bearer(await access(['aws.cognito.signin.user.admin']))), 403, 'insufficient_scope');
  });

  it('other methods get 405; OPTIONS is the CORS preflight', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const a = await call(method);
      expect(a.status).toBe(405);
      expect(a.headers.allow).toBe('GET, POST, OPTIONS');
    }
    const pre = await handleUserInfo(w.rt, httpIn(w, 'OPTIONS', '/oauth2/userInfo'));
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-headers']).toMatch(/authorization/);
  });
});
