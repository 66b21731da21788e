import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { AdminDisableUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { lastCode, messagesTo, wrongCode } from '../helpers/self-service';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpOut } from '../../lib/hosted/http';
import { handleSignIn } from '../../lib/hosted/signin';
import { handleForgotPassword } from '../../lib/hosted/recovery/forgot-password';
import { handleConfirmForgotPassword } from '../../lib/hosted/recovery/confirm-forgot-password';
import { RESPONSE_FLOOR_MS } from '../../lib/hosted/recovery/send-code';
import { RULES_VALUE } from '../../lib/hosted/recovery/fields';
import { passwordRules } from '../../lib/hosted/signup/password-rules';
import { resolveStepPage } from '../../lib/hosted/step-page';
import { loadFlash, type Flash } from '../../lib/hosted/flash';
import { loadTransaction, type TransactionState } from '../../lib/hosted/transactions';
import { lookupCode, redeemCode } from '../../lib/oauth/codes';
import { translator } from '../../lib/i18n/translate';
import { ConfirmForgotPasswordStep } from '../../components/hosted/recovery/confirm-forgot-password-step';
import { ForgotPasswordStep } from '../../components/hosted/recovery/forgot-password-step';
import { Browser, CALLBACK, PASSWORD, decodeJwt, httpIn, location, makeOAuthClient, makeOAuthPool, makeUser } from './hosted-fixtures';
import { csrfToken } from '../../lib/hosted/csrf';

/**
 * The password-reset pages' logic in-process (issue 4): the same answer and the same page for existing,
 * unknown, disabled and unreachable accounts (ENABLED and LEGACY clients), a code from the outbox that
 * resets the password and lets the sign-in finish the authorization request, wrong and expired codes,
 * every broken password rule at once, mismatched passwords, the resend cooldown, the send caps, and bad
 * input that keeps what was typed (never a password or a code).
 */
let t: TestPool;
let rt: HostedRuntime;
let poolId: string;
let enabled: string;
let legacy: string;
const NEW_PASSWORD = 'Brand-new-Passw0rd!';

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t, { PORTICO_CODES_PER_IP_HOUR: '100000', PORTICO_CODES_PER_RECIPIENT_HOUR: '50' });
  poolId = await makeOAuthPool(t, {
    AutoVerifiedAttributes: ['email'],
    AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }] },
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } },
  });
  // Every client exists before the first authorize (the directory rebuilds its map at most every 2 s).
  enabled = (await makeOAuthClient(t, poolId, { PreventUserExistenceErrors: 'ENABLED' })).clientId;
  legacy = (await makeOAuthClient(t, poolId, { ClientName: 'legacy', PreventUserExistenceErrors: 'LEGACY' })).clientId;
});
afterAll(async () => t?.close());

async function user(name: string, o: { verified?: boolean } = {}): Promise<string> {
  const email = `${name}@example.com`;
  await makeUser(t, poolId, name, { attributes: { email, email_verified: o.verified === false ? 'false' : 'true' } });
  return email;
}

async function start(clientId = enabled, r = rt): Promise<Browser> {
  const b = new Browser(r);
  const out = await b.authorize({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'S', nonce: 'N' });
  expect(out.status).toBe(303);
  return b;
}

const forgot = (b: Browser, username: string) => b.post(handleForgotPassword, { username }, { path: `/forgotPassword?tx=${b.txId}` });
const confirm = (b: Browser, fields: Record<string, string>) => b.post(handleConfirmForgotPassword, fields, { path: `/confirmforgotPassword?tx=${b.txId}` });

async function state(b: Browser): Promise<TransactionState> {
  const found = await loadTransaction(rt, b.txId, b.browserId);
  if (!found.ok) throw new Error(`transaction ${found.reason}`);
  return found.tx.state;
}

/** The redirect with the transaction id taken out: what must not differ between two people. */
function shapeOf(out: HttpOut, txId: string): string {
  return JSON.stringify({ status: out.status, headers: out.headers, cookies: out.cookies ?? [], body: out.body }).split(txId).join('<tx>');
}

async function flashOf(b: Browser, out: HttpOut): Promise<Flash> {
  const to = location(out);
  expect(to.searchParams.get('f'), 'a flash id').toBeTruthy();
  return loadFlash(rt, to.searchParams.get('f')!, b.browserId);
}

async function renderConfirmPage(b: Browser, r = rt): Promise<string> {
  const resolved = await resolveStepPage(r, '/confirmforgotPassword', { tx: b.txId }, { browserId: b.browserId, nonce: undefined, tr: translator('en', ['hosted', 'common']) });
  if (!resolved.ok) throw new Error(`page redirects to ${resolved.location}`);
  const pool = await r.directory.pool(poolId);
  const html = renderToStaticMarkup(createElement(ConfirmForgotPasswordStep, { data: resolved.data, rules: passwordRules(pool?.Policies?.PasswordPolicy), resent: false }));
  return html.split(b.txId).join('<tx>').split(resolved.data.csrf).join('<csrf>');
}

async function expectAuthorizationCode(out: HttpOut): Promise<Record<string, unknown>> {
  expect(out.status).toBe(303);
  const to = location(out);
  expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
  expect(to.searchParams.get('state')).toBe('S');
  const d = { db: rt.db, box: rt.box, now: () => rt.clock.now() };
  const code = await lookupCode(d, to.searchParams.get('code')!);
  if (code.state !== 'live') throw new Error(`code ${code.state}`);
  const tokens = await redeemCode(d, code.digest);
  return decodeJwt(tokens!.idToken!);
}

describe('no user enumeration', () => {
  it('gives an existing, an unknown, a disabled and an unreachable account the same redirect and the same page', async () => {
    const aliceEmail = await user('alice');
    await user('dora');
    await t.adminClient().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'dora' }));
    await user('ursula', { verified: false });
    const names = ['alice', 'nobody-here', 'dora', 'ursula'];
    const shapes: string[] = [];
    const pages: string[] = [];
    const times: number[] = [];
    for (const name of names) {
      const b = await start();
      const started = performance.now();
      const out = await forgot(b, name);
      times.push(performance.now() - started);
      const to = location(out);
      expect(to.pathname).toBe('/confirmforgotPassword');
      expect([...to.searchParams.keys()]).toEqual(['tx']);
      shapes.push(shapeOf(out, b.txId));
      expect((await state(b)).recovery).toEqual({ username: name });
      pages.push((await renderConfirmPage(b)).split(name).join('<name>'));
    }
    expect(new Set(shapes).size).toBe(1);
    expect(new Set(pages).size).toBe(1);
    expect(pages[0]).toContain('If an account exists for <name>, we have sent a code to the email address or phone number it uses.');
    // Only the real, reachable account got a message; every answer took at least the floor.
    expect(await messagesTo(t, aliceEmail)).toHaveLength(1);
    expect(await messagesTo(t, 'dora@example.com')).toHaveLength(0);
    expect(await messagesTo(t, 'ursula@example.com')).toHaveLength(0);
    for (const ms of times) expect(ms).toBeGreaterThanOrEqual(RESPONSE_FLOOR_MS - 5);
  });

  it('does the same for a LEGACY client, whose pool answers UserNotFoundException', async () => {
    await user('lena');
    const shapes: string[] = [];
    const pages: string[] = [];
    for (const name of ['lena', 'nobody-legacy']) {
      const b = await start(legacy);
      const out = await forgot(b, name);
      expect(location(out).pathname).toBe('/confirmforgotPassword');
      shapes.push(shapeOf(out, b.txId));
      pages.push((await renderConfirmPage(b)).split(name).join('<name>'));
    }
    expect(new Set(shapes).size).toBe(1);
    expect(new Set(pages).size).toBe(1);
  });

  it('shows the same page when the pool stops sending to an account (its own hourly limit) as for an unknown name', async () => {
    const email = await user('hank');
    const b = await start();
    for (let i = 0; i < 7; i++) expect(location(await forgot(b, 'hank')).pathname).toBe('/confirmforgotPassword');
    // The pool sent five and refused the rest with LimitExceededException, which the person never sees.
    expect(await messagesTo(t, email)).toHaveLength(5);
  });

  it('a wrong code reads the same for an unknown account (ENABLED and LEGACY)', async () => {
    for (const clientId of [enabled, legacy]) {
      const b = await start(clientId);
      await forgot(b, `ghost-${clientId.slice(0, 4)}`);
      const flash = await flashOf(b, await confirm(b, { code: '123456', password: NEW_PASSWORD, confirm: NEW_PASSWORD }));
      expect(flash.errors).toEqual({ code: 'wrong_code' });
      expect(flash.values).toEqual({});
    }
  });
});

describe('resetting the password', () => {
  it('code from the outbox → new password → back at sign-in with a notice → the sign-in completes the authorization request', async () => {
    const email = await user('rita');
    const b = await start();
    await forgot(b, 'rita');
    const code = await lastCode(t, email);
    const out = await confirm(b, { code: ` ${code.slice(0, 3)} ${code.slice(3)} `, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    const to = location(out);
    expect(to.pathname).toBe('/login');
    expect([...to.searchParams.keys()]).toEqual(['tx']);
    const s = await state(b);
    expect(s).toMatchObject({ step: 'login', typedUsername: 'rita', notice: 'password_reset' });
    expect(s.recovery).toBeUndefined();
    // The old password is gone, the new one signs in and the app gets its code.
    expect(location(await b.post(handleSignIn, { username: 'rita', password: PASSWORD })).searchParams.get('error')).toBe('wrong_credentials');
    const claims = await expectAuthorizationCode(await b.post(handleSignIn, { username: 'rita', password: NEW_PASSWORD }));
    expect(claims['cognito:username']).toBe('rita');
    expect(claims['nonce']).toBe('N');
  });

  it('refuses a wrong code, then takes the right one', async () => {
    const email = await user('walt');
    const b = await start();
    await forgot(b, 'walt');
    const code = await lastCode(t, email);
    const flash = await flashOf(b, await confirm(b, { code: wrongCode(code), password: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    expect(flash.errors).toEqual({ code: 'wrong_code' });
    expect(location(await confirm(b, { code, password: NEW_PASSWORD, confirm: NEW_PASSWORD })).pathname).toBe('/login');
  });

  it('says an expired code has expired (the form stays open: every post gives the transaction 30 more minutes)', async () => {
    const email = await user('eve');
    const b = await start();
    await forgot(b, 'eve');
    const code = await lastCode(t, email);
    t.clock.advance(29 * 60_000);
    expect((await flashOf(b, await confirm(b, { code, password: 'weak', confirm: 'weak' }))).errors.password).toBe('password_policy');
    t.clock.advance(29 * 60_000);
    expect((await flashOf(b, await confirm(b, { code, password: 'weak', confirm: 'weak' }))).errors.password).toBe('password_policy');
    t.clock.advance(5 * 60_000);
    const flash = await flashOf(b, await confirm(b, { code, password: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    expect(flash.errors).toEqual({ code: 'code_expired_resend' });
  });

  it('lists every broken rule at once, checked before the pool (the code stays usable)', async () => {
    const email = await user('polly');
    const b = await start();
    await forgot(b, 'polly');
    const code = await lastCode(t, email);
    const flash = await flashOf(b, await confirm(b, { code, password: 'short', confirm: 'short' }));
    expect(flash.errors).toEqual({ password: 'password_policy' });
    expect(flash.values[RULES_VALUE]!.split(' ')).toEqual(['password_too_short', 'password_needs_upper', 'password_needs_number', 'password_needs_symbol']);
    // The pool was not asked, so the code still works.
    expect(location(await confirm(b, { code, password: NEW_PASSWORD, confirm: NEW_PASSWORD })).pathname).toBe('/login');
  });

  it('names the single broken rule, refuses mismatched passwords and a malformed code, all in one answer', async () => {
    await user('mia');
    const b = await start();
    await forgot(b, 'mia');
    const flash = await flashOf(b, await confirm(b, { code: '12ab', password: 'no-digits-Here!', confirm: 'something else' }));
    expect(flash.errors).toEqual({ code: 'wrong_code', password: 'password_needs_number', confirm: 'password_mismatch' });
    expect(flash.values).toEqual({ [RULES_VALUE]: 'password_needs_number' });
  });

  it('renders every broken rule next to the password field, and nothing typed', async () => {
    await user('page');
    const b = await start();
    await forgot(b, 'page');
    const out = await confirm(b, { code: '', password: 'short', confirm: '' });
    const f = location(out).searchParams.get('f')!;
    const resolved = await resolveStepPage(rt, '/confirmforgotPassword', { tx: b.txId, f }, { browserId: b.browserId, nonce: undefined, tr: translator('en', ['hosted', 'common']) });
    if (!resolved.ok) throw new Error('redirected');
    const html = renderToStaticMarkup(createElement(ConfirmForgotPasswordStep, { data: resolved.data, rules: passwordRules((await rt.directory.pool(poolId))?.Policies?.PasswordPolicy), resent: false }));
    for (const text of ['The password is too short.', 'The password needs an upper-case letter.', 'The password needs a number.', 'The password needs a symbol.']) {
      expect(html).toContain(text);
    }
    expect(html).toContain('role="alert"');
    expect(html).toContain('href="#code"');
    expect(html).toContain('Code: This field is required.');
    expect(html).not.toContain('value="short"');
  });
});

describe('sending codes', () => {
  it('"send a new code" waits for the cooldown, then sends one', async () => {
    const email = await user('ron');
    const b = await start();
    await forgot(b, 'ron');
    expect((await flashOf(b, await confirm(b, { intent: 'resend' }))).errors).toEqual({ '': 'resend_cooldown' });
    expect(await messagesTo(t, email)).toHaveLength(1);
    t.clock.advance((rt.settings.resendCooldown + 1) * 1000);
    const to = location(await confirm(b, { intent: 'resend' }));
    expect(to.pathname).toBe('/confirmforgotPassword');
    expect(to.searchParams.get('sent')).toBe('1');
    expect(await messagesTo(t, email)).toHaveLength(2);
    // The cooldown starts again from the new code.
    expect((await flashOf(b, await confirm(b, { intent: 'resend' }))).errors).toEqual({ '': 'resend_cooldown' });
    // The newest code is the one that works.
    const code = await lastCode(t, email);
    expect(location(await confirm(b, { code, password: NEW_PASSWORD, confirm: NEW_PASSWORD })).pathname).toBe('/login');
  });

  it('caps sends per name alike for existing and unknown names, and per address', async () => {
    const capped = hostedRuntimeFor(t, { PORTICO_CODES_PER_IP_HOUR: '100000', PORTICO_CODES_PER_RECIPIENT_HOUR: '2' });
    await user('cara');
    for (const name of ['cara', 'nobody-capped']) {
      const b = await start(enabled, capped);
      const post = () => b.post(handleForgotPassword, { username: name }, { path: `/forgotPassword?tx=${b.txId}` });
      expect(location(await post()).pathname).toBe('/confirmforgotPassword');
      expect(location(await post()).pathname).toBe('/confirmforgotPassword');
      const out = await post();
      expect(location(out).pathname).toBe('/forgotPassword');
      const flash = await loadFlash(capped, location(out).searchParams.get('f')!, b.browserId);
      expect(flash).toEqual({ values: { username: name }, errors: { username: 'send_limit' } });
    }
    // The server records the client's address in x-forwarded-for (lib/security/client-ip.ts).
    const perIp = hostedRuntimeFor(t, { PORTICO_CODES_PER_IP_HOUR: '1' });
    const b = await start(enabled, perIp);
    const post = (username: string) =>
      handleForgotPassword(
        perIp,
        httpIn('POST', `/forgotPassword?tx=${b.txId}`, {
          body: { username, csrf: csrfToken(perIp, b.browserId, b.txId) },
          cookies: b.cookies,
          headers: { 'x-forwarded-for': '203.0.113.77' },
        }),
      );
    expect(location(await post('nobody-ip-1')).pathname).toBe('/confirmforgotPassword');
    const refused = await post('nobody-ip-2');
    expect(location(refused).pathname).toBe('/forgotPassword');
    expect((await loadFlash(perIp, location(refused).searchParams.get('f')!, b.browserId)).errors).toEqual({ username: 'send_limit' });
  });
});

describe('bad input', () => {
  it('keeps what was typed on the first form: missing and over-long names', async () => {
    const b = await start();
    const empty = await flashOf(b, await forgot(b, '   '));
    expect(empty.errors).toEqual({ username: 'required' });
    const long = 'x'.repeat(129);
    const flash = await flashOf(b, await forgot(b, long));
    expect(flash).toEqual({ values: { username: long }, errors: { username: 'value_too_long' } });
    const resolved = await resolveStepPage(rt, '/forgotPassword', { tx: b.txId, f: location(await forgot(b, long)).searchParams.get('f')! }, { browserId: b.browserId, nonce: undefined, tr: translator('es', ['hosted', 'common']) });
    if (!resolved.ok) throw new Error('redirected');
    const html = renderToStaticMarkup(createElement(ForgotPasswordStep, { data: resolved.data }));
    expect(html).toContain(`value="${long}"`);
    expect(html).toContain('Nombre de usuario o correo electrónico: Es demasiado largo.');
  });

  it('asks for every missing field of the second form and keeps neither code nor passwords', async () => {
    const b = await start();
    await forgot(b, 'someone');
    const flash = await flashOf(b, await confirm(b, {}));
    expect(flash).toEqual({ values: {}, errors: { code: 'required', password: 'required', confirm: 'required' } });
    const long = 'A1!a'.repeat(65);
    expect((await flashOf(b, await confirm(b, { code: '123456', password: long, confirm: long }))).errors).toEqual({ password: 'value_too_long' });
  });

  it('sends /confirmforgotPassword back to /forgotPassword when no reset was asked for', async () => {
    const b = await start();
    const to = location(await confirm(b, { code: '123456', password: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    expect(to.pathname).toBe('/forgotPassword');
  });
});
