import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminGetUserCommand, AdminSetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import { handleSignIn } from '../../lib/hosted/signin';
import { handleMfaCode, handleMfaSetup, handleNewPassword, handleSelectMfa } from '../../lib/hosted/challenges';
import { loadTransaction, type TransactionState } from '../../lib/hosted/transactions';
import { lookupCode, redeemCode } from '../../lib/oauth/codes';
import { listOutbox } from '../../lib/userpool/outbox';
import { Browser, CALLBACK, PASSWORD, decodeJwt, location, makeOAuthClient, makeOAuthPool, makeUser } from './hosted-fixtures';

/**
 * Every challenge page's logic, in-process: NEW_PASSWORD_REQUIRED with a required attribute, TOTP
 * enrolment (MFA_SETUP) and TOTP sign-in, SMS and email codes from the outbox, SELECT_MFA_TYPE, MFA
 * setup by email, wrong codes retried on the same Session, and a Session that runs out.
 */
let t: TestPool;
let rt: HostedRuntime;

const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/portico-sms', ExternalId: 'portico' };
const SES = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com', From: 'no-reply@example.com' };

async function mfaPool(mode: 'ON' | 'OPTIONAL', factors: { sms?: boolean; totp?: boolean; email?: boolean }): Promise<{ poolId: string; clientId: string }> {
  const poolId = await makeOAuthPool(t, { MfaConfiguration: mode, SmsConfiguration: SMS, EmailConfiguration: SES });
  await t.adminClient().send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: mode,
      ...(factors.sms ? { SmsMfaConfiguration: { SmsConfiguration: SMS } } : {}),
      SoftwareTokenMfaConfiguration: { Enabled: factors.totp ?? false },
      ...(factors.email ? { EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' } } : {}),
    }),
  );
  const { clientId } = await makeOAuthClient(t, poolId);
  return { poolId, clientId };
}

async function start(clientId: string): Promise<Browser> {
  const b = new Browser(rt);
  const out = await b.authorize({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'S', nonce: 'N' });
  expect(out.status).toBe(303);
  return b;
}

async function state(b: Browser): Promise<TransactionState> {
  const found = await loadTransaction(rt, b.txId, b.browserId);
  if (!found.ok) throw new Error(`transaction ${found.reason}`);
  return found.tx.state;
}

function expectStep(out: { headers: Record<string, string> }, path: string, error?: string) {
  const to = location(out as never);
  expect(to.pathname).toBe(path);
  expect(to.searchParams.get('error') ?? undefined).toBe(error);
  // Never a Session or a token in a page URL.
  expect([...to.searchParams.keys()].every((k) => ['tx', 'error', 'lang', 'ui_locales'].includes(k))).toBe(true);
}

async function expectCode(out: { status: number; headers: Record<string, string> }): Promise<Record<string, unknown>> {
  expect(out.status).toBe(303);
  const to = location(out as never);
  expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
  expect(to.searchParams.get('state')).toBe('S');
  const d = { db: rt.db, box: rt.box, now: () => rt.clock.now() };
  const code = await lookupCode(d, to.searchParams.get('code')!);
  if (code.state !== 'live') throw new Error(`code ${code.state}`);
  const tokens = await redeemCode(d, code.digest);
  return decodeJwt(tokens!.idToken!);
}

async function latestCodeTo(to: string): Promise<string> {
  const message = (await listOutbox(t.engine.deps)).find((m) => m.to === to);
  expect(message, `a message to ${to}`).toBeDefined();
  return /\b(\d{6})\b/.exec(message!.text)![1]!;
}

const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');

// Every pool and client exists before the first authorize: the directory rebuilds its client map at
// most every 2 s, so a client made later in the file could be briefly unknown.
let totpPool: { poolId: string; clientId: string };
let optionalPool: { poolId: string; clientId: string };
let setupPool: { poolId: string; clientId: string };
let npPool: { poolId: string; clientId: string };

beforeAll(async () => {
  t = await startTestPool();
  rt = hostedRuntimeFor(t);
  const poolId = await makeOAuthPool(t, {
    Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true, RequireSymbols: false, RequireUppercase: true, RequireLowercase: true } },
  });
  npPool = { poolId, clientId: (await makeOAuthClient(t, poolId)).clientId };
  totpPool = await mfaPool('ON', { totp: true });
  optionalPool = await mfaPool('OPTIONAL', { sms: true, totp: true, email: true });
  setupPool = await mfaPool('ON', { totp: true, email: true });
});
afterAll(async () => t?.close());

describe('NEW_PASSWORD_REQUIRED', () => {
  it('asks for a new password and the missing required attribute, refuses bad answers on the same page, then signs in', async () => {
    const { poolId, clientId } = npPool;
    await makeUser(t, poolId, 'tina', { temporary: true, password: 'Temp-Passw0rd!', attributes: { name: 'x' } });
    // The engine's AdminCreateUser insists on required attributes (so its requiredAttributes is usually
    // empty); a user imported without one is what this page exists for, so the attribute is removed in the store.
    await t.db.updateTable('users').set({ attributes: '{}' }).where('pool_id', '=', poolId).where('username', '=', 'tina').execute();
    const b = await start(clientId);
    expectStep(await b.post(handleSignIn, { username: 'tina', password: 'Temp-Passw0rd!' }), '/new-password');
    const s = await state(b);
    expect(s.step).toBe('NEW_PASSWORD_REQUIRED');
    expect(JSON.parse(s.challengeParameters!['requiredAttributes']!)).toEqual(['userAttributes.name']);

    const good = 'New-Passw0rd-1';
    expectStep(await b.post(handleNewPassword, { password: good, confirm: 'other', 'attr.name': 'Tina' }), '/new-password', 'password_mismatch');
    expectStep(await b.post(handleNewPassword, { password: good, confirm: good }), '/new-password', 'missing_fields');
    expectStep(await b.post(handleNewPassword, { password: 'Short1A', confirm: 'Short1A', 'attr.name': 'Tina' }), '/new-password', 'password_too_short');
    expectStep(await b.post(handleNewPassword, { password: 'long-enough-1', confirm: 'long-enough-1', 'attr.name': 'Tina' }), '/new-password', 'password_needs_upper');
    expectStep(await b.post(handleNewPassword, { password: 'Temp-Passw0rd!', confirm: 'Temp-Passw0rd!', 'attr.name': 'Tina' }), '/new-password', 'password_same_as_temporary');
    // Posting to another step's form sends the browser to the page it is at.
    expectStep(await b.post(handleMfaCode, { code: '123456' }, { path: `/mfa?tx=${b.txId}` }), '/new-password');

    const id = await expectCode(await b.post(handleNewPassword, { password: good, confirm: good, 'attr.name': 'Tina' }));
    expect(id['cognito:username']).toBe('tina');
    const user = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'tina' }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes?.find((a) => a.Name === 'name')?.Value).toBe('Tina');
  });
});

describe('TOTP', () => {
  it('enrols during sign-in (MFA_SETUP): the secret is in the transaction, a wrong code retries the same Session, then the next sign-in asks for a TOTP code', async () => {
    const { poolId, clientId } = totpPool;
    await makeUser(t, poolId, 'otto');
    const b = await start(clientId);
    expectStep(await b.post(handleSignIn, { username: 'otto', password: PASSWORD }), '/mfa/setup');
    const s = await state(b);
    expect(s.step).toBe('MFA_SETUP');
    expect(s.totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
    const totp = new TOTP({ secret: Secret.fromBase32(s.totpSecret!), algorithm: 'SHA1', digits: 6, period: 30 });
    const code = totp.generate({ timestamp: t.clock.now() });
    const sessionBefore = s.session;
    expectStep(await b.post(handleMfaSetup, { method: 'totp', code: wrongOf(code) }), '/mfa/setup', 'wrong_code');
    expect((await state(b)).session).toBe(sessionBefore);
    expectStep(await b.post(handleMfaSetup, { method: 'totp', code: 'abc' }), '/mfa/setup', 'wrong_code');
    await expectCode(await b.post(handleMfaSetup, { method: 'totp', code: `${code.slice(0, 3)} ${code.slice(3)}` }));

    t.clock.advance(31_000);
    const again = await start(clientId);
    expectStep(await again.post(handleSignIn, { username: 'otto', password: PASSWORD }), '/mfa');
    const s2 = await state(again);
    expect(s2.step).toBe('SOFTWARE_TOKEN_MFA');
    const next = totp.generate({ timestamp: t.clock.now() });
    expectStep(await again.post(handleMfaCode, { code: wrongOf(next) }), '/mfa', 'wrong_code');
    const id = await expectCode(await again.post(handleMfaCode, { code: next }));
    expect(id['cognito:username']).toBe('otto');
  });
});

describe('SMS, email and the choice between them', () => {
  const poolId = () => optionalPool.poolId;
  const prefer = (username: string, prefs: Omit<ConstructorParameters<typeof AdminSetUserMFAPreferenceCommand>[0], 'UserPoolId' | 'Username'>) =>
    t.adminClient().send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: optionalPool.poolId, Username: username, ...prefs }));

  it('SMS_MFA: the code sent to the phone, after a wrong one', async () => {
    await makeUser(t, poolId(), 'sam', { attributes: { phone_number: '+15555550142' } });
    await prefer('sam', { SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
    const b = await start(optionalPool.clientId);
    expectStep(await b.post(handleSignIn, { username: 'sam', password: PASSWORD }), '/mfa');
    const s = await state(b);
    expect(s.step).toBe('SMS_MFA');
    expect(s.challengeParameters).toMatchObject({ CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0142' });
    const code = await latestCodeTo('+15555550142');
    expectStep(await b.post(handleMfaCode, { code: wrongOf(code) }), '/mfa', 'wrong_code');
    await expectCode(await b.post(handleMfaCode, { code }));
  });

  it('SMS_MFA in the language of the page: a sign-in in Spanish gets its code in Spanish', async () => {
    await makeUser(t, poolId(), 'sol', { attributes: { phone_number: '+15555550143' } });
    await prefer('sol', { SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
    const b = new Browser(rt);
    await b.authorize({ client_id: optionalPool.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'S', ui_locales: 'es' });
    expectStep(await b.post(handleSignIn, { username: 'sol', password: PASSWORD }), '/mfa');
    const message = (await listOutbox(t.engine.deps)).find((m) => m.to === '+15555550143');
    expect(message?.text).toMatch(/^Tu código de autenticación es \d{6}\./);
  });

  it('EMAIL_OTP: the code sent by email', async () => {
    await makeUser(t, poolId(), 'eve', { attributes: { email: 'eve@example.com', email_verified: 'true' } });
    await prefer('eve', { EmailMfaSettings: { Enabled: true, PreferredMfa: true } });
    const b = await start(optionalPool.clientId);
    expectStep(await b.post(handleSignIn, { username: 'eve', password: PASSWORD }), '/mfa');
    expect((await state(b)).step).toBe('EMAIL_OTP');
    await expectCode(await b.post(handleMfaCode, { code: await latestCodeTo('eve@example.com') }));
  });

  it('SELECT_MFA_TYPE: only an offered factor is accepted, then its code', async () => {
    await makeUser(t, poolId(), 'cleo', { attributes: { phone_number: '+15555550177', email: 'cleo@example.com', email_verified: 'true' } });
    await prefer('cleo', { SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } });
    const b = await start(optionalPool.clientId);
    expectStep(await b.post(handleSignIn, { username: 'cleo', password: PASSWORD }), '/mfa/select');
    expect(JSON.parse((await state(b)).challengeParameters!['MFAS_CAN_CHOOSE']!)).toEqual(['SMS_MFA', 'EMAIL_OTP']);
    expectStep(await b.post(handleSelectMfa, { mfa: 'SOFTWARE_TOKEN_MFA' }), '/mfa/select', 'missing_fields');
    expectStep(await b.post(handleSelectMfa, { mfa: 'EMAIL_OTP' }), '/mfa');
    expect((await state(b)).step).toBe('EMAIL_OTP');
    await expectCode(await b.post(handleMfaCode, { code: await latestCodeTo('cleo@example.com') }));
  });

  it('a Session that runs out sends the person back to the password with a message', async () => {
    await makeUser(t, poolId(), 'slow', { attributes: { phone_number: '+15555550188' } });
    await prefer('slow', { SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
    const b = await start(optionalPool.clientId);
    expectStep(await b.post(handleSignIn, { username: 'slow', password: PASSWORD }), '/mfa');
    const code = await latestCodeTo('+15555550188');
    t.clock.advance(4 * 60_000);
    expectStep(await b.post(handleMfaCode, { code }), '/login', 'session_expired');
    const s = await state(b);
    expect(s.step).toBe('login');
    expect(s.session).toBeUndefined();
    expect(s.typedUsername).toBe('slow');
  });

  it('five wrong codes spend the Session: the next answer starts over at the password', async () => {
    await makeUser(t, poolId(), 'guess', { attributes: { phone_number: '+15555550166' } });
    await prefer('guess', { SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
    const b = await start(optionalPool.clientId);
    await b.post(handleSignIn, { username: 'guess', password: PASSWORD });
    const code = await latestCodeTo('+15555550166');
    for (let i = 0; i < 5; i++) expectStep(await b.post(handleMfaCode, { code: wrongOf(code) }), '/mfa', 'wrong_code');
    expectStep(await b.post(handleMfaCode, { code }), '/login', 'session_expired');
  });
});

describe('MFA_SETUP by email', () => {
  it('offers email beside TOTP; the address gets a code, which completes the sign-in', async () => {
    const { poolId, clientId } = setupPool;
    await makeUser(t, poolId, 'neo');
    const b = await start(clientId);
    expectStep(await b.post(handleSignIn, { username: 'neo', password: PASSWORD }), '/mfa/setup');
    const s = await state(b);
    expect(JSON.parse(s.challengeParameters!['MFAS_CAN_SETUP']!)).toEqual(expect.arrayContaining(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']));
    expect(s.totpSecret).toBeTruthy();
    expectStep(await b.post(handleMfaSetup, { method: 'email', email: 'not-an-address' }), '/mfa/setup', 'invalid_email');
    expectStep(await b.post(handleMfaSetup, { method: 'email', email: 'neo@example.com' }), '/mfa');
    expect((await state(b)).step).toBe('EMAIL_OTP');
    await expectCode(await b.post(handleMfaCode, { code: await latestCodeTo('neo@example.com') }));
  });
});
