import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { lastCode, messagesTo, passwordSignIn, wrongCode } from '../helpers/self-service';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpOut } from '../../lib/hosted/http';
import { handleSignIn } from '../../lib/hosted/signin';
import { handleMfaCode, handleMfaSetup } from '../../lib/hosted/challenges';
import { loadTransaction } from '../../lib/hosted/transactions';
import { loadSsoSession } from '../../lib/hosted/sso-session';
import { cookieNames } from '../../lib/hosted/cookies';
import { loadFlash } from '../../lib/hosted/flash';
import { handleAccountSignIn } from '../../lib/hosted/account/start-signin';
import { handleAccountPost } from '../../lib/hosted/account/actions';
import { resolveAccountPage, type AccountPageData } from '../../lib/hosted/account/page';
import { accountCsrf } from '../../lib/hosted/account/access';
import { loadAccountState } from '../../lib/hosted/account/state';
import { secretHash } from '../../lib/userpool/secret-hash';
import { translator } from '../../lib/i18n/translate';
import { BASE, Browser, CALLBACK, PASSWORD, decodeJwt, httpIn, location, makeOAuthClient, makeOAuthPool, makeUser } from './hosted-fixtures';

/**
 * The account page, in-process through its real handlers: the account sign-in through /login (and its
 * challenges), the recent-sign-in window, every action with the password asked again where it should
 * be, the new email that waits for its code, sign out everywhere, and the CSRF token per session.
 */
let t: TestPool;
let rt: HostedRuntime;
const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/portico-sms', ExternalId: 'portico' };
const NEW_PASSWORD = 'N3w-Passw0rd-OK!';

interface App {
  poolId: string;
  clientId: string;
  secret?: string;
}
let app: App;
let strict: App;

async function mfaConfig(poolId: string, mode: 'ON' | 'OPTIONAL', sms: boolean): Promise<void> {
  await t.adminClient().send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: mode,
      ...(sms ? { SmsMfaConfiguration: { SmsConfiguration: SMS } } : {}),
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
}

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  const poolId = await makeOAuthPool(t, {
    AutoVerifiedAttributes: ['email'],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    MfaConfiguration: 'OPTIONAL',
    SmsConfiguration: SMS,
  });
  await mfaConfig(poolId, 'OPTIONAL', true);
  const flows = { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH'] as never, LogoutURLs: ['http://localhost:9/bye'] };
  const c = await makeOAuthClient(t, poolId, flows);
  app = { poolId, clientId: c.clientId, secret: c.secret };
  const strictPool = await makeOAuthPool(t, { MfaConfiguration: 'ON' });
  await mfaConfig(strictPool, 'ON', false);
  const s = await makeOAuthClient(t, strictPool, flows);
  strict = { poolId: strictPool, clientId: s.clientId, secret: s.secret };
});
afterAll(async () => t?.close());

const tr = translator('en', ['account', 'hosted', 'common']);

/** Takes a handler's answer into the browser's jar the way Browser does for its own requests. */
function absorb(b: Browser, out: HttpOut): HttpOut {
  for (const c of out.cookies ?? []) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    if (/Max-Age=0/.test(c)) delete b.cookies[pair!.slice(0, i)];
    else b.cookies[pair!.slice(0, i)] = pair!.slice(i + 1);
  }
  const to = out.headers['location'];
  if (to?.startsWith('/')) {
    b.page = to;
    const tx = new URL(to, BASE).searchParams.get('tx');
    if (tx) b.txId = tx;
  }
  return out;
}

function accountPath(a: App, extra: Record<string, string> = {}): string {
  return `/account?${new URLSearchParams({ client_id: a.clientId, ...extra })}`;
}

async function view(b: Browser, a: App, extra: Record<string, string> = {}) {
  const sp = Object.fromEntries(new URL(accountPath(a, extra), BASE).searchParams);
  const names = cookieNames(false);
  return resolveAccountPage(rt, sp, { cookies: { browser: b.cookies[names.browser], session: b.cookies[names.session] }, tr });
}

async function page(b: Browser, a: App, extra: Record<string, string> = {}): Promise<AccountPageData> {
  const r = await view(b, a, extra);
  if (!r.ok) throw new Error(`account page redirects to ${r.location}`);
  return r.data;
}

async function startSignIn(b: Browser, a: App): Promise<HttpOut> {
  return absorb(b, await handleAccountSignIn(rt, httpIn('GET', `/account/signin?client_id=${a.clientId}`, { cookies: b.cookies })));
}

/** The account sign-in through the ordinary /login form; ends back at /account. */
async function signIn(b: Browser, a: App, username: string, password = PASSWORD): Promise<void> {
  const out = await startSignIn(b, a);
  expect(location(out).pathname).toBe('/login');
  const done = await b.post(handleSignIn, { username, password });
  expect(location(done).pathname).toBe('/account');
  expect(location(done).searchParams.get('client_id')).toBe(a.clientId);
}

async function sessionOf(b: Browser) {
  const s = await loadSsoSession(rt, b.cookies[cookieNames(false).session]);
  if (!s) throw new Error('no hosted session');
  return s;
}

async function act(b: Browser, a: App, fields: Record<string, string>, o: { csrf?: string } = {}): Promise<HttpOut> {
  const csrf = o.csrf ?? accountCsrf(rt, b.browserId, await sessionOf(b));
  return b.post(handleAccountPost, fields, { path: accountPath(a), csrf });
}

async function flashOf(b: Browser, out: HttpOut) {
  const f = location(out).searchParams.get('f');
  expect(f, `a failed form, got ${out.headers['location']}`).toBeTruthy();
  return loadFlash(rt, f!, b.browserId);
}

function doneOf(out: HttpOut): string | null {
  return location(out).searchParams.get('done');
}

async function attrs(a: App, username: string): Promise<Record<string, string>> {
  const u = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: username }));
  return Object.fromEntries((u.UserAttributes ?? []).map((x) => [x.Name!, x.Value!]));
}

function totpNow(secret: string): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: t.clock.now() });
}

describe('getting in', () => {
  it('an unknown client gets the translated error page, never a 500', async () => {
    const b = new Browser(rt);
    const r = await view(b, { poolId: '', clientId: 'nosuchclient123' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.location).toMatch(/^\/error\?error=invalid_client/);
    const out = await startSignIn(b, { poolId: '', clientId: 'nosuchclient123' });
    expect(location(out).pathname).toBe('/error');
    expect(location(out).searchParams.get('error')).toBe('invalid_client');
  });

  it('without a session: account sign-in through /login, back at /account with the pool tokens, no code for any app', async () => {
    await makeUser(t, app.poolId, 'ann', { attributes: { email: 'ann@example.com', email_verified: 'true' } });
    const b = new Browser(rt);
    const r = await view(b, app);
    expect(!r.ok && r.location).toBe(`/account/signin?client_id=${app.clientId}`);
    await signIn(b, app, 'ann');
    const data = await page(b, app);
    expect(data.username).toBe('ann');
    expect(data.contacts.find((c) => c.attribute === 'email')).toMatchObject({ value: 'ann@example.com', verified: true });
    const state = await loadAccountState(rt, await sessionOf(b));
    expect(String(decodeJwt(state!.accessToken)['scope'])).toContain('aws.cognito.signin.user.admin');
  });

  it('a stale sign-in (16 minutes) sends page and actions to sign in again, with the username filled in', async () => {
    await makeUser(t, app.poolId, 'ben');
    const b = new Browser(rt);
    await signIn(b, app, 'ben');
    await page(b, app);
    t.clock.advance(16 * 60_000);
    const r = await view(b, app);
    expect(!r.ok && r.location).toBe(`/account/signin?client_id=${app.clientId}`);
    const refused = await act(b, app, { action: 'password', 'pw.current': PASSWORD, 'pw.new': NEW_PASSWORD, 'pw.confirm': NEW_PASSWORD });
    expect(location(refused).pathname).toBe('/account/signin');
    await startSignIn(b, app);
    const found = await loadTransaction(rt, b.txId, b.browserId);
    expect(found.ok && found.tx.state.typedUsername).toBe('ben');
    const done = await b.post(handleSignIn, { username: 'ben', password: PASSWORD });
    expect(location(done).pathname).toBe('/account');
    await page(b, app);
  });

  it('the account sign-in answers MFA challenges like any sign-in (MFA_SETUP in a pool that requires MFA)', async () => {
    await makeUser(t, strict.poolId, 'sam');
    const b = new Browser(rt);
    await startSignIn(b, strict);
    const setup = await b.post(handleSignIn, { username: 'sam', password: PASSWORD });
    expect(location(setup).pathname).toBe('/mfa/setup');
    const found = await loadTransaction(rt, b.txId, b.browserId);
    const secret = found.ok ? found.tx.state.totpSecret! : '';
    const done = await b.post(handleMfaSetup, { method: 'totp', code: totpNow(secret) });
    expect(location(done).pathname).toBe('/account');
    const data = await page(b, strict);
    expect(data.mfa.enabled).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(data.mfa.totpRemovable).toBe(false);
    // The only factor in a pool that requires MFA stays, even with the right password.
    const out = await act(b, strict, { action: 'totp_remove', 'totp.current': PASSWORD });
    expect((await flashOf(b, out)).errors).toEqual({ '': 'mfa_required' });
    expect((await page(b, strict)).mfa.enabled).toEqual(['SOFTWARE_TOKEN_MFA']);
  });
});

describe('password', () => {
  it('refuses a wrong current password, a mismatch and a weak password (nothing changes), then changes it', async () => {
    await makeUser(t, app.poolId, 'cat');
    const b = new Browser(rt);
    await signIn(b, app, 'cat');
    const wrong = await act(b, app, { action: 'password', 'pw.current': 'Wrong-Passw0rd!', 'pw.new': NEW_PASSWORD, 'pw.confirm': NEW_PASSWORD });
    // No fragment on a failed form: it would stop the error summary's autofocus.
    expect(location(wrong).hash).toBe('');
    expect((await flashOf(b, wrong)).errors).toEqual({ 'pw.current': 'wrong_password' });
    expect((await flashOf(b, wrong)).values).toEqual({});
    const mismatch = await act(b, app, { action: 'password', 'pw.current': PASSWORD, 'pw.new': NEW_PASSWORD, 'pw.confirm': 'other' });
    expect((await flashOf(b, mismatch)).errors).toEqual({ 'pw.confirm': 'password_mismatch' });
    const missing = await act(b, app, { action: 'password' });
    expect((await flashOf(b, missing)).errors).toEqual({ 'pw.current': 'required', 'pw.new': 'required', 'pw.confirm': 'required' });
    const weak = await act(b, app, { action: 'password', 'pw.current': PASSWORD, 'pw.new': 'weak', 'pw.confirm': 'weak' });
    expect((await flashOf(b, weak)).errors['pw.new']).toMatch(/^password_/);
    await passwordSignIn(t.publicClient(), app.clientId, 'cat', PASSWORD, { secret: app.secret });

    const ok = await act(b, app, { action: 'password', 'pw.current': PASSWORD, 'pw.new': NEW_PASSWORD, 'pw.confirm': NEW_PASSWORD });
    expect(doneOf(ok)).toBe('password_changed');
    await passwordSignIn(t.publicClient(), app.clientId, 'cat', NEW_PASSWORD, { secret: app.secret });
    await expect(passwordSignIn(t.publicClient(), app.clientId, 'cat', PASSWORD, { secret: app.secret })).rejects.toThrow();
  });
});

describe('email', () => {
  it('a new email stays unverified beside the old one until its code is entered, then replaces it', async () => {
    await makeUser(t, app.poolId, 'dan', { attributes: { email: 'dan@example.com', email_verified: 'true' } });
    const b = new Browser(rt);
    await signIn(b, app, 'dan');
    expect((await page(b, app)).contacts[0]).toMatchObject({ attribute: 'email', keepsOld: true, changeable: true });

    const wrong = await act(b, app, { action: 'contact_change', attribute: 'email', 'email.value': 'dan.new@example.com', 'email.current': 'nope-Wr0ng!' });
    const f = await flashOf(b, wrong);
    expect(f.errors).toEqual({ 'email.current': 'wrong_password' });
    expect(f.values).toEqual({ 'email.value': 'dan.new@example.com' });
    expect(await messagesTo(t, 'dan.new@example.com')).toHaveLength(0);
    const bad = await act(b, app, { action: 'contact_change', attribute: 'email', 'email.value': 'not an email', 'email.current': PASSWORD });
    expect((await flashOf(b, bad)).errors).toEqual({ 'email.value': 'invalid_email' });

    const changed = await act(b, app, { action: 'contact_change', attribute: 'email', 'email.value': 'dan.new@example.com', 'email.current': PASSWORD });
    expect(doneOf(changed)).toBe('code_sent');
    expect(location(changed).hash).toBe('#email');
    expect(await attrs(app, 'dan')).toMatchObject({ email: 'dan@example.com', email_verified: 'true' });
    const data = await page(b, app);
    expect(data.contacts[0]).toMatchObject({ value: 'dan@example.com', verified: true, pending: { value: 'dan.new@example.com' } });

    const code = await lastCode(t, 'dan.new@example.com');
    const tooSoon = await act(b, app, { action: 'contact_resend', attribute: 'email' });
    expect((await flashOf(b, tooSoon)).errors).toEqual({ 'email.code': 'resend_cooldown' });
    const wrongCodeOut = await act(b, app, { action: 'contact_verify', attribute: 'email', 'email.code': wrongCode(code) });
    expect((await flashOf(b, wrongCodeOut)).errors).toEqual({ 'email.code': 'wrong_code' });
    expect(await attrs(app, 'dan')).toMatchObject({ email: 'dan@example.com', email_verified: 'true' });

    t.clock.advance(61_000);
    const resent = await act(b, app, { action: 'contact_resend', attribute: 'email' });
    expect(doneOf(resent)).toBe('code_sent');
    const fresh = await lastCode(t, 'dan.new@example.com');
    const verified = await act(b, app, { action: 'contact_verify', attribute: 'email', 'email.code': fresh });
    expect(doneOf(verified)).toBe('email_verified');
    expect(await attrs(app, 'dan')).toMatchObject({ email: 'dan.new@example.com', email_verified: 'true' });
    expect((await page(b, app)).contacts[0]!.pending).toBeUndefined();
  });
});

describe('authenticator app and preferred method', () => {
  it('enrols (wrong code refused), after which sign-in asks for the TOTP; then the preferred method is chosen', async () => {
    await makeUser(t, app.poolId, 'eve', { attributes: { phone_number: '+15555550100', phone_number_verified: 'true' } });
    const b = new Browser(rt);
    await signIn(b, app, 'eve');
    expect(doneOf(await act(b, app, { action: 'totp_start' }))).toBeNull();
    const setup = (await page(b, app)).mfa.setup!;
    expect(setup.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(setup.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    const wrong = await act(b, app, { action: 'totp_verify', 'totp.code': wrongCode(totpNow(setup.secret)) });
    expect((await flashOf(b, wrong)).errors).toEqual({ 'totp.code': 'wrong_code' });
    const ok = await act(b, app, { action: 'totp_verify', 'totp.code': totpNow(setup.secret) });
    expect(doneOf(ok)).toBe('totp_enabled');
    const data = await page(b, app);
    expect(data.mfa).toMatchObject({ enabled: ['SOFTWARE_TOKEN_MFA'], preferred: 'SOFTWARE_TOKEN_MFA', setup: undefined });

    // An app's sign-in now asks for the authenticator's code.
    const other = new Browser(rt);
    await other.authorize({ client_id: app.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' });
    const next = await other.post(handleSignIn, { username: 'eve', password: PASSWORD });
    expect(location(next).pathname).toBe('/mfa');
    t.clock.advance(30_000);
    const signedIn = await other.post(handleMfaCode, { code: totpNow(setup.secret) });
    expect(`${location(signedIn).origin}${location(signedIn).pathname}`).toBe(CALLBACK);

    await t.adminClient().send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: app.poolId, Username: 'eve', SMSMfaSettings: { Enabled: true } }));
    expect((await page(b, app)).mfa.enabled).toEqual(['SOFTWARE_TOKEN_MFA', 'SMS_MFA']);
    const bogus = await act(b, app, { action: 'mfa_preferred', 'mfa.preferred': 'EMAIL_OTP' });
    expect((await flashOf(b, bogus)).errors).toEqual({ 'mfa.preferred': 'invalid_value' });
    const chosen = await act(b, app, { action: 'mfa_preferred', 'mfa.preferred': 'SMS_MFA' });
    expect(doneOf(chosen)).toBe('mfa_preferred');
    const u = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'eve' }));
    expect(u.PreferredMfaSetting).toBe('SMS_MFA');
  });

  it('removes the authenticator only with the right password', async () => {
    await makeUser(t, app.poolId, 'fay');
    const b = new Browser(rt);
    await signIn(b, app, 'fay');
    await act(b, app, { action: 'totp_start' });
    const secret = (await page(b, app)).mfa.setup!.secret;
    expect(doneOf(await act(b, app, { action: 'totp_verify', 'totp.code': totpNow(secret) }))).toBe('totp_enabled');
    const wrong = await act(b, app, { action: 'totp_remove', 'totp.current': 'Wr0ng-Password!' });
    expect((await flashOf(b, wrong)).errors).toEqual({ 'totp.current': 'wrong_password' });
    expect((await page(b, app)).mfa.enabled).toEqual(['SOFTWARE_TOKEN_MFA']);
    const removed = await act(b, app, { action: 'totp_remove', 'totp.current': PASSWORD });
    expect(doneOf(removed)).toBe('totp_removed');
    const data = await page(b, app);
    expect(data.mfa.enabled).toEqual([]);
    expect(data.mfa.preferred).toBeUndefined();
  });
});

describe('sign out everywhere', () => {
  it('needs the password, then revokes refresh tokens and ends the hosted session', async () => {
    await makeUser(t, app.poolId, 'gus');
    const tokens = await passwordSignIn(t.publicClient(), app.clientId, 'gus', PASSWORD, { secret: app.secret });
    const b = new Browser(rt);
    await signIn(b, app, 'gus');
    const wrong = await act(b, app, { action: 'signout_all', 'signout.current': 'Wr0ng-Password!' });
    expect((await flashOf(b, wrong)).errors).toEqual({ 'signout.current': 'wrong_password' });
    const sessionId = b.cookies[cookieNames(false).session];
    const out = await act(b, app, { action: 'signout_all', 'signout.current': PASSWORD });
    expect(location(out).pathname).toBe('/account/signed-out');
    expect(out.cookies?.some((c) => c.startsWith(`${cookieNames(false).session}=;`) && /Max-Age=0/.test(c))).toBe(true);
    expect(await loadSsoSession(rt, sessionId)).toBeUndefined();
    await expect(
      t.publicClient().send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: app.clientId,
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, SECRET_HASH: secretHash(app.secret!, 'gus', app.clientId) },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const r = await view(b, app);
    expect(!r.ok && r.location).toBe(`/account/signin?client_id=${app.clientId}`);
  });
});

describe('CSRF', () => {
  it('refuses a token from another session and a missing one', async () => {
    await makeUser(t, app.poolId, 'hal');
    await makeUser(t, app.poolId, 'ivy');
    const b = new Browser(rt);
    await signIn(b, app, 'hal');
    const other = new Browser(rt);
    await signIn(other, app, 'ivy');
    const foreign = accountCsrf(rt, other.browserId, await sessionOf(other));
    const out = await act(b, app, { action: 'signout_all', 'signout.current': PASSWORD }, { csrf: foreign });
    expect(out.status).toBe(403);
    expect((await act(b, app, { action: 'totp_start' }, { csrf: '' })).status).toBe(403);
    expect(await loadSsoSession(rt, b.cookies[cookieNames(false).session])).toBeDefined();
    expect((await loadAccountState(rt, await sessionOf(b)))?.totpSecret).toBeUndefined();
  });
});
