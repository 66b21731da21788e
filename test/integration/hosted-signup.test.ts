import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminGetUserCommand, type SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { lastCode, messagesTo } from '../helpers/self-service';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpOut } from '../../lib/hosted/http';
import { loadFlash, type Flash } from '../../lib/hosted/flash';
import { loadTransaction } from '../../lib/hosted/transactions';
import { handleSignUp } from '../../lib/hosted/signup/sign-up';
import { handleConfirmUser } from '../../lib/hosted/signup/confirm';
import { signupForm } from '../../lib/hosted/signup/form';
import { handleToken } from '../../lib/oauth/token';
import { Browser, CALLBACK, PASSWORD, decodeJwt, httpIn, location, makeOAuthClient, makeOAuthPool, makeUser } from './hosted-fixtures';

/**
 * Self sign-up in-process (lib/hosted/signup): the form generated from the pool, every bad input kept
 * (except passwords) with its own error, all failing password rules at once, the pool's refusals, and
 * the whole journey: sign-up → code from the outbox → confirmed → signed in at the app's callback →
 * tokens from the token endpoint, also after the 5-minute transaction has run out.
 */
let t: TestPool;
let rt: HostedRuntime;
let poolId: string;
let client: { clientId: string; secret?: string };
let adminOnly: { poolId: string; clientId: string };

const SCHEMA: SchemaAttributeType[] = [
  { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
  { Name: 'given_name', AttributeDataType: 'String', Required: true, Mutable: true },
  { Name: 'team', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '2', MaxLength: '10' } },
  { Name: 'age', AttributeDataType: 'Number', Mutable: true, NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
  { Name: 'newsletter', AttributeDataType: 'Boolean', Mutable: true },
];
const POLICY = { PasswordPolicy: { MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } };
const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] as const;

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t, { PORTICO_RESEND_COOLDOWN: '60' });
  poolId = await makeOAuthPool(t, { AutoVerifiedAttributes: ['email'], Schema: SCHEMA, Policies: POLICY });
  client = await makeOAuthClient(t, poolId, { ExplicitAuthFlows: [...FLOWS] });
  const aoPool = await makeOAuthPool(t, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  adminOnly = { poolId: aoPool, clientId: (await makeOAuthClient(t, aoPool)).clientId };
});

afterAll(async () => {
  await t?.close();
});

async function start(clientId = client.clientId, extra: Record<string, string> = {}): Promise<Browser> {
  const b = new Browser(rt);
  const out = await b.authorize({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email', state: 'S', ...extra });
  expect(out.status).toBe(303);
  b.page = `/signup?tx=${b.txId}`;
  return b;
}

/** The client directory learns new clients on a miss, at most every few seconds (of the test clock). */
async function known(clientId: string): Promise<void> {
  t.clock.advance(10_000);
  expect(await rt.directory.appClient(clientId)).toBeDefined();
}

function form(username: string, o: Record<string, string> = {}): Record<string, string> {
  return {
    username,
    'attr.email': `${username}@example.com`,
    'attr.given_name': 'Ada',
    'attr.custom:team': 'blue',
    password: PASSWORD,
    confirm: PASSWORD,
    ...o,
  };
}

async function flashOf(b: Browser, out: HttpOut): Promise<Flash> {
  const to = location(out);
  expect(to.pathname).toBe('/signup');
  return loadFlash(rt, to.searchParams.get('f') ?? undefined, b.browserId);
}

async function userExists(name: string): Promise<boolean> {
  try {
    await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: name }));
    return true;
  } catch {
    return false;
  }
}

async function signUp(username: string): Promise<Browser> {
  const b = await start();
  const out = await b.post(handleSignUp, form(username));
  const to = location(out);
  expect(to.pathname).toBe('/confirmUser');
  expect(to.searchParams.get('p')).toBeTruthy();
  return b;
}

/** The callback got a code; the token endpoint exchanges it for the new user's tokens. */
async function expectSignedIn(out: HttpOut, username: string): Promise<void> {
  expect(out.status).toBe(303);
  const to = location(out);
  expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
  expect(to.searchParams.get('state')).toBe('S');
  const code = to.searchParams.get('code')!;
  expect(code).toBeTruthy();
  const res = await handleToken(
    rt,
    httpIn('POST', '/oauth2/token', {
      body: { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: client.clientId, client_secret: client.secret! },
    }),
  );
  expect(res.status).toBe(200);
  const tokens = JSON.parse(res.body) as { id_token: string };
  expect(decodeJwt(tokens.id_token)['cognito:username']).toBeDefined();
  expect(decodeJwt(tokens.id_token)['email']).toBe(`${username}@example.com`);
}

describe('the generated form', () => {
  it('asks for the required standard attributes, the auto-verified email and every writable custom attribute, with types', async () => {
    const pool = (await rt.directory.pool(poolId))!;
    const c = (await rt.directory.appClient(client.clientId))!;
    const shape = signupForm(pool, c);
    const byName = Object.fromEntries(shape.fields.map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(['attr.custom:age', 'attr.custom:newsletter', 'attr.custom:team', 'attr.email', 'attr.given_name', 'username']);
    expect(shape.fields[0]!.name).toBe('username');
    expect(byName['username']).toMatchObject({ type: 'text', autoComplete: 'username', required: true, maxLength: 128 });
    expect(byName['attr.email']).toMatchObject({ type: 'email', autoComplete: 'email', required: true });
    expect(byName['attr.given_name']).toMatchObject({ type: 'text', autoComplete: 'given-name', required: true });
    expect(byName['attr.custom:team']).toMatchObject({ type: 'text', required: false, label: 'team', minLength: 2, maxLength: 10 });
    expect(byName['attr.custom:age']).toMatchObject({ type: 'number', min: '0', max: '150', required: false });
    expect(byName['attr.custom:newsletter']).toMatchObject({ type: 'checkbox', required: false });
    expect(shape.policy).toMatchObject({ MinimumLength: 10 });
  });

  it('uses the email as the sign-in name when the pool says so, and leaves out what the client may not write', async () => {
    const p = await makeOAuthPool(t, { UsernameAttributes: ['email'], Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }, { Name: 'nick', AttributeDataType: 'String', Mutable: true }] });
    const { clientId } = await makeOAuthClient(t, p, { WriteAttributes: ['email'] });
    await known(clientId);
    const shape = signupForm((await rt.directory.pool(p))!, (await rt.directory.appClient(clientId))!);
    expect(shape.usernameKind).toBe('email');
    expect(shape.fields.map((f) => f.name)).toEqual(['username']);
    expect(shape.fields[0]).toMatchObject({ type: 'email', autoComplete: 'email' });
  });
});

describe('bad input', () => {
  it('lists every failing password rule at once and keeps what was typed, never the passwords', async () => {
    const b = await start();
    const out = await b.post(handleSignUp, form('weakling', { password: 'abc', confirm: 'abc' }));
    const flash = await flashOf(b, out);
    expect(flash.errors['password']).toBe('password_too_short');
    expect(flash.values['password.rules']!.split(',')).toEqual(['password_too_short', 'password_needs_upper', 'password_needs_number', 'password_needs_symbol']);
    expect(flash.values).toMatchObject({ username: 'weakling', 'attr.email': 'weakling@example.com', 'attr.given_name': 'Ada', 'attr.custom:team': 'blue' });
    expect(flash.values['password']).toBeUndefined();
    expect(flash.values['confirm']).toBeUndefined();
    expect(JSON.stringify(flash)).not.toContain('abc"');
    expect(await userExists('weakling')).toBe(false);
  });

  it.each([
    ['a missing username', { username: '' }, 'username', 'required'],
    ['a missing required attribute', { 'attr.given_name': '  ' }, 'attr.given_name', 'required'],
    ['an over-long attribute', { 'attr.given_name': 'x'.repeat(2049) }, 'attr.given_name', 'value_too_long'],
    ['an over-long username', { username: 'u'.repeat(129) }, 'username', 'value_too_long'],
    ['a custom attribute over its own maximum', { 'attr.custom:team': 'x'.repeat(11) }, 'attr.custom:team', 'value_too_long'],
    ['a bad email', { 'attr.email': 'not-an-email' }, 'attr.email', 'invalid_email'],
    ['a number that is not one', { 'attr.custom:age': 'old' }, 'attr.custom:age', 'invalid_number'],
    ['a number out of range', { 'attr.custom:age': '200' }, 'attr.custom:age', 'invalid_number'],
    ['an over-long password', { password: `Aa1!${'x'.repeat(253)}`, confirm: `Aa1!${'x'.repeat(253)}` }, 'password', 'value_too_long'],
    ['passwords that differ', { confirm: `${PASSWORD}x` }, 'confirm', 'password_mismatch'],
  ])('%s gets its error next to the field and the other values kept', async (_what, change, field, code) => {
    const b = await start();
    const typed = form('keeper', change);
    const flash = await flashOf(b, await b.post(handleSignUp, typed));
    expect(flash.errors).toEqual({ [field]: code });
    for (const name of ['username', 'attr.email', 'attr.given_name', 'attr.custom:team']) {
      if (name !== field) expect(flash.values[name]).toBe(typed[name]);
    }
    expect(flash.values['password']).toBeUndefined();
    expect(flash.values['confirm']).toBeUndefined();
    expect(await userExists('keeper')).toBe(false);
  });

  it('reports a taken username on the username field', async () => {
    await makeUser(t, poolId, 'taken', { attributes: { email: 'taken@example.com', given_name: 'T' } });
    const b = await start();
    const flash = await flashOf(b, await b.post(handleSignUp, form('taken')));
    expect(flash.errors).toEqual({ username: 'username_exists' });
    expect(flash.values['attr.email']).toBe('taken@example.com');
  });

  it('refuses a username shaped like an email in a pool with the email alias', async () => {
    const p = await makeOAuthPool(t, { AliasAttributes: ['email'] });
    const { clientId } = await makeOAuthClient(t, p);
    await known(clientId);
    const b = await start(clientId);
    const flash = await flashOf(b, await b.post(handleSignUp, { username: 'me@example.com', password: PASSWORD, confirm: PASSWORD }));
    expect(flash.errors).toEqual({ username: 'username_shape' });
  });
});

describe('pools that allow admin-created users only', () => {
  it('offer no sign-up: the POST goes back to sign-in and creates nobody', async () => {
    const b = await start(adminOnly.clientId);
    const out = await b.post(handleSignUp, form('sneaky'));
    const to = location(out);
    expect(to.pathname).toBe('/login');
    expect(to.searchParams.get('tx')).toBe(b.txId);
    const { ListUsersCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    const users = await t.adminClient().send(new ListUsersCommand({ UserPoolId: adminOnly.poolId }));
    expect(users.Users ?? []).toHaveLength(0);
  });
});

describe('the journey', () => {
  it('sign-up → code → confirmed → back at the app with a code that the token endpoint exchanges', async () => {
    const b = await signUp('ada');
    const pendingPage = b.page;
    const code = await lastCode(t, 'ada@example.com');
    // A wrong code first: back to the same page with the error on the code field.
    const wrong = await b.post(handleConfirmUser, { code: code === '000000' ? '111111' : '000000' }, { path: pendingPage, csrf: await pendingCsrf(b) });
    const again = location(wrong);
    expect(again.pathname).toBe('/confirmUser');
    expect(again.searchParams.get('p')).toBe(new URL(pendingPage, 'http://x').searchParams.get('p'));
    expect((await loadFlash(rt, again.searchParams.get('f')!, b.browserId)).errors).toEqual({ code: 'wrong_code' });
    const out = await b.post(handleConfirmUser, { code }, { path: pendingPage, csrf: await pendingCsrf(b, pendingPage) });
    await expectSignedIn(out, 'ada');
    const user = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ada' }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'custom:team', Value: 'blue' }, { Name: 'email_verified', Value: 'true' }]));
    // The pending sign-up is gone.
    const rows = await rt.db.selectFrom('pending_signups').selectAll().where('username', '=', 'ada').execute();
    expect(rows).toHaveLength(0);
  });

  it('keeps the authorization request beyond the transaction: confirmed 40 minutes later, still signed in', async () => {
    const b = await signUp('grace');
    const page = b.page;
    const oldTx = b.txId;
    t.clock.advance(40 * 60_000);
    expect((await loadTransaction(rt, oldTx, b.browserId)).ok).toBe(false);
    const code = await lastCode(t, 'grace@example.com');
    const out = await b.post(handleConfirmUser, { code }, { path: page, csrf: await pendingCsrf(b, page) });
    await expectSignedIn(out, 'grace');
  });

  it('without ALLOW_USER_AUTH the person confirms, then signs in once more with their name filled in', async () => {
    const { clientId } = await makeOAuthClient(t, poolId);
    await known(clientId);
    const b = await start(clientId);
    const out = await b.post(handleSignUp, form('linus'));
    const page = location(out);
    const code = await lastCode(t, 'linus@example.com');
    const done = await b.post(handleConfirmUser, { code }, { path: `${page.pathname}${page.search}`, csrf: await pendingCsrf(b, `${page.pathname}${page.search}`) });
    const to = location(done);
    expect(to.pathname).toBe('/login');
    const tx = await loadTransaction(rt, to.searchParams.get('tx')!, b.browserId);
    expect(tx.ok && tx.tx.state).toMatchObject({ step: 'login', typedUsername: 'linus', notice: 'account_confirmed' });
  });
});

describe('a new code', () => {
  it('waits for the cooldown, then sends one', async () => {
    const b = await signUp('cool');
    const page = b.page;
    const early = await b.post(handleConfirmUser, { action: 'resend' }, { path: page, csrf: await pendingCsrf(b, page) });
    expect((await loadFlash(rt, location(early).searchParams.get('f')!, b.browserId)).errors).toEqual({ '': 'resend_cooldown' });
    expect(await messagesTo(t, 'cool@example.com')).toHaveLength(1);
    t.clock.advance(61_000);
    const later = await b.post(handleConfirmUser, { action: 'resend' }, { path: page, csrf: await pendingCsrf(b, page) });
    expect(location(later).searchParams.get('sent')).toBe('1');
    expect(await messagesTo(t, 'cool@example.com')).toHaveLength(2);
    // The new code confirms.
    const out = await b.post(handleConfirmUser, { code: await lastCode(t, 'cool@example.com') }, { path: page, csrf: await pendingCsrf(b, page) });
    await expectSignedIn(out, 'cool');
  });

  it('stops at the per-IP cap before the pool is asked', async () => {
    const capped = hostedRuntimeFor(t, { PORTICO_CODES_PER_IP_HOUR: '1' });
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    const one = new Browser(capped);
    await one.authorize({ client_id: client.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'S' });
    // The same address for both sign-ups: the cap is per client IP.
    const post = async (b: Browser, name: string) => {
      const { csrfToken } = await import('../../lib/hosted/csrf');
      return handleSignUp(
        capped,
        httpIn('POST', `/signup?tx=${b.txId}`, { body: { ...form(name), csrf: csrfToken(capped, b.browserId, b.txId) }, cookies: b.cookies, headers }),
      );
    };
    expect(location(await post(one, 'first')).pathname).toBe('/confirmUser');
    const two = new Browser(capped);
    await two.authorize({ client_id: client.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'S' });
    const refused = await post(two, 'second');
    const flash = await loadFlash(capped, location(refused).searchParams.get('f')!, two.browserId);
    expect(flash.errors).toEqual({ '': 'send_limit' });
    expect(flash.values['username']).toBe('second');
    expect(await userExists('second')).toBe(false);
  });
});

/** The CSRF token of the pending sign-up's form (the page draws it). */
async function pendingCsrf(b: Browser, page = b.page): Promise<string> {
  const { csrfToken } = await import('../../lib/hosted/csrf');
  const { pendingCsrfId } = await import('../../lib/hosted/signup/confirm');
  const p = new URL(page, 'http://x').searchParams.get('p')!;
  return csrfToken(rt, b.browserId, pendingCsrfId(p));
}

