import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminGetUserCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { lastCode, messagesTo } from '../helpers/self-service';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import { loadFlash } from '../../lib/hosted/flash';
import { loadTransaction } from '../../lib/hosted/transactions';
import { csrfToken } from '../../lib/hosted/csrf';
import { handleSignUp } from '../../lib/hosted/signup/sign-up';
import { handleConfirmUser, linkCsrfId, pendingCsrfId } from '../../lib/hosted/signup/confirm';
import { listOutbox } from '../../lib/userpool/outbox';
import { secretHash } from '../../lib/userpool/secret-hash';
import { Browser, CALLBACK, PASSWORD, httpIn, location, makeOAuthClient, makeOAuthPool } from './hosted-fixtures';

/**
 * Confirming a sign-up in-process: the emailed link in the browser that signed up (signed in at once),
 * in another browser or one without Portico's cookie (continues the same request at sign-in), twice (a
 * mail scanner first), with a wrong code, and for a sign-up made through the API; and the form reached
 * from the sign-in page (username + code, a new code after the cooldown).
 */
let t: TestPool;
let rt: HostedRuntime;
let client: { clientId: string; secret?: string };
let poolId: string;

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t, { PORTICO_RESEND_COOLDOWN: '60' });
  poolId = await makeOAuthPool(t, {
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
    VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK' },
  });
  client = await makeOAuthClient(t, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] });
});

afterAll(async () => {
  await t?.close();
});

async function start(): Promise<Browser> {
  const b = new Browser(rt);
  const out = await b.authorize({ client_id: client.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email', state: 'S' });
  expect(out.status).toBe(303);
  return b;
}

async function signUp(username: string): Promise<Browser> {
  const b = await start();
  const out = await b.post(handleSignUp, { username, 'attr.email': `${username}@example.com`, password: PASSWORD, confirm: PASSWORD }, { path: `/signup?tx=${b.txId}` });
  expect(location(out).pathname).toBe('/confirmUser');
  return b;
}

/** The confirmation link in the newest message to the address. */
async function linkTo(email: string): Promise<URL> {
  const message = (await listOutbox(t.engine.deps)).find((m) => m.to === email);
  const href = /https?:\/\/\S+\/confirmUser\?\S+/.exec(message?.text ?? '')?.[0];
  expect(href, `a link in "${message?.text}"`).toBeDefined();
  return new URL(href!.replace(/[.)>]+$/, ''));
}

async function open(link: URL, cookies: Record<string, string>, method = 'GET') {
  return handleConfirmUser(rt, httpIn(method, `${link.pathname}${link.search}`, { cookies }));
}

async function status(username: string): Promise<string | undefined> {
  const u = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return u.UserStatus;
}

describe('the emailed link', () => {
  it('in the browser that signed up: confirmed and signed in at the app', async () => {
    const b = await signUp('lena');
    const link = await linkTo('lena@example.com');
    expect(link.searchParams.get('user_name')).toBe('lena');
    const out = await open(link, b.cookies);
    expect(out.status).toBe(303);
    const to = location(out);
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    expect(to.searchParams.get('code')).toBeTruthy();
    expect(to.searchParams.get('state')).toBe('S');
    expect(await status('lena')).toBe('CONFIRMED');
  });

  it('in a browser without Portico cookie: gets one, continues the same request at sign-in with a notice', async () => {
    const b = await signUp('omar');
    const link = await linkTo('omar@example.com');
    const out = await open(link, {});
    const to = location(out);
    expect(to.pathname).toBe('/login');
    const cookie = (out.cookies ?? []).find((c) => c.startsWith('portico_browser='));
    expect(cookie).toBeDefined();
    const other = cookie!.split(';')[0]!.split('=')[1]!;
    const tx = await loadTransaction(rt, to.searchParams.get('tx')!, other);
    expect(tx.ok).toBe(true);
    if (tx.ok) {
      expect(tx.tx.state).toMatchObject({ step: 'login', typedUsername: 'omar', notice: 'account_confirmed' });
      expect(tx.tx.state.request).toMatchObject({ clientId: client.clientId, redirectUri: CALLBACK, state: 'S' });
    }
    expect(await status('omar')).toBe('CONFIRMED');

    // The person then uses the code page in the first browser: already confirmed counts as success.
    const page = new URL(b.page, 'http://x');
    const p = page.searchParams.get('p')!;
    const code = link.searchParams.get('confirmation_code')!;
    const again = await b.post(handleConfirmUser, { code }, { path: `${page.pathname}${page.search}`, csrf: csrfToken(rt, b.browserId, pendingCsrfId(p)) });
    expect(location(again).pathname).toBe('/login');
  });

  it('opened twice (a mail scanner first) still ends confirmed, the second time like a success', async () => {
    const b = await signUp('scan');
    const link = await linkTo('scan@example.com');
    const scanner = await open(link, { portico_browser: 'scanner-browser-id-000000000000000000000' });
    expect(location(scanner).pathname).toBe('/login');
    const out = await open(link, b.cookies);
    const to = location(out);
    // The browser that signed up continues its own request.
    expect(to.pathname).toBe('/login');
    const tx = await loadTransaction(rt, to.searchParams.get('tx')!, b.browserId);
    expect(tx.ok && tx.tx.state.notice).toBe('account_confirmed');
  });

  it('with a wrong code: the form of the same request, to ask for a new code', async () => {
    const b = await signUp('typo');
    const link = await linkTo('typo@example.com');
    const code = link.searchParams.get('confirmation_code')!;
    link.searchParams.set('confirmation_code', code === '000000' ? '111111' : '000000');
    const out = await open(link, b.cookies);
    const to = location(out);
    expect(to.pathname).toBe('/confirmUser');
    expect(to.searchParams.get('error')).toBe('wrong_code');
    const tx = await loadTransaction(rt, to.searchParams.get('tx')!, b.browserId);
    expect(tx.ok && tx.tx.state.typedUsername).toBe('typo');
    expect(await status('typo')).toBe('UNCONFIRMED');
  });

  it('for a sign-up made through the API: a page that says the account is confirmed', async () => {
    await t.publicClient().send(
      new SignUpCommand({
        ClientId: client.clientId,
        Username: 'apiuser',
        Password: PASSWORD,
        SecretHash: secretHash(client.secret!, 'apiuser', client.clientId),
        UserAttributes: [{ Name: 'email', Value: 'apiuser@example.com' }],
      }),
    );
    const link = await linkTo('apiuser@example.com');
    const wrong = new URL(link);
    wrong.searchParams.set('confirmation_code', link.searchParams.get('confirmation_code') === '000000' ? '111111' : '000000');
    const failed = location(await open(wrong, {}));
    expect(failed.searchParams.get('failed')).toBe('wrong_code');
    expect(failed.searchParams.get('user_name')).toBe('apiuser');

    const done = location(await open(link, {}));
    expect(done.pathname).toBe('/confirmUser');
    expect(done.searchParams.get('done')).toBe('1');
    expect(await status('apiuser')).toBe('CONFIRMED');
    expect(location(await open(link, {})).searchParams.get('done')).toBe('1');
  });

  it('HEAD does not confirm; bad or unknown parameters get a 400 page, never a 500', async () => {
    await signUp('headed');
    const link = await linkTo('headed@example.com');
    expect((await open(link, {}, 'HEAD')).status).toBe(200);
    expect(await status('headed')).toBe('UNCONFIRMED');
    const noCode = new URL(link);
    noCode.searchParams.delete('user_name');
    expect((await open(noCode, {})).status).toBe(400);
    const unknown = new URL(link);
    unknown.searchParams.set('client_id', 'nosuchclient1234567890');
    expect((await open(unknown, {})).status).toBe(400);
  });

  it('after a failed link without a pending sign-up, asks for a new code', async () => {
    await t.publicClient().send(
      new SignUpCommand({
        ClientId: client.clientId,
        Username: 'resender',
        Password: PASSWORD,
        SecretHash: secretHash(client.secret!, 'resender', client.clientId),
        UserAttributes: [{ Name: 'email', Value: 'resender@example.com' }],
      }),
    );
    const browser = 'resender-browser-0000000000000000000000000';
    const q = new URLSearchParams({ client_id: client.clientId, user_name: 'resender' });
    const out = await handleConfirmUser(
      rt,
      httpIn('POST', `/confirmUser?${q}`, { body: { action: 'resend', csrf: csrfToken(rt, browser, linkCsrfId(client.clientId, 'resender')) }, cookies: { portico_browser: browser } }),
    );
    expect(location(out).searchParams.get('sent')).toBe('1');
    expect(await messagesTo(t, 'resender@example.com')).toHaveLength(2);
    const forged = await handleConfirmUser(rt, httpIn('POST', `/confirmUser?${q}`, { body: { action: 'resend', csrf: 'nope' }, cookies: { portico_browser: browser } }));
    expect(forged.status).toBe(403);
  });
});

describe('the form reached from the sign-in page', () => {
  it('username and code: a wrong code keeps the username, the right one goes back to sign-in with a notice', async () => {
    await t.publicClient().send(
      new SignUpCommand({
        ClientId: client.clientId,
        Username: 'later',
        Password: PASSWORD,
        SecretHash: secretHash(client.secret!, 'later', client.clientId),
        UserAttributes: [{ Name: 'email', Value: 'later@example.com' }],
      }),
    );
    const b = await start();
    const page = `/confirmUser?tx=${b.txId}`;
    const code = await lastCode(t, 'later@example.com');
    const wrong = location(await b.post(handleConfirmUser, { username: 'later', code: code === '000000' ? '111111' : '000000' }, { path: page }));
    const flash = await loadFlash(rt, wrong.searchParams.get('f')!, b.browserId);
    expect(flash).toEqual({ values: { username: 'later' }, errors: { code: 'wrong_code' } });
    const missing = location(await b.post(handleConfirmUser, { username: '', code }, { path: page }));
    expect((await loadFlash(rt, missing.searchParams.get('f')!, b.browserId)).errors).toEqual({ username: 'required' });

    const done = location(await b.post(handleConfirmUser, { username: 'later', code }, { path: page }));
    expect(done.pathname).toBe('/login');
    const tx = await loadTransaction(rt, b.txId, b.browserId);
    expect(tx.ok && tx.tx.state).toMatchObject({ typedUsername: 'later', notice: 'account_confirmed' });
    expect(await status('later')).toBe('CONFIRMED');
  });

  it('a new code waits for the cooldown', async () => {
    await t.publicClient().send(
      new SignUpCommand({
        ClientId: client.clientId,
        Username: 'patient',
        Password: PASSWORD,
        SecretHash: secretHash(client.secret!, 'patient', client.clientId),
        UserAttributes: [{ Name: 'email', Value: 'patient@example.com' }],
      }),
    );
    const b = await start();
    const page = `/confirmUser?tx=${b.txId}`;
    expect(location(await b.post(handleConfirmUser, { username: 'patient', action: 'resend' }, { path: page })).searchParams.get('sent')).toBe('1');
    const early = location(await b.post(handleConfirmUser, { username: 'patient', action: 'resend' }, { path: page }));
    expect((await loadFlash(rt, early.searchParams.get('f')!, b.browserId)).errors).toEqual({ '': 'resend_cooldown' });
    expect(await messagesTo(t, 'patient@example.com')).toHaveLength(2);
    t.clock.advance(61_000);
    expect(location(await b.post(handleConfirmUser, { username: 'patient', action: 'resend' }, { path: page })).searchParams.get('sent')).toBe('1');
    expect(await messagesTo(t, 'patient@example.com')).toHaveLength(3);
  });
});
