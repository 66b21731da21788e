import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { listOutbox } from '../../lib/userpool/outbox';
import { PASSWORD, expectError, makeClient, makePool, makeUser } from './auth-fixtures';

/** SMS_MFA and EMAIL_OTP codes through the outbox, SELECT_MFA_TYPE, and MFA_SETUP by email. */
let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/portico-sms', ExternalId: 'portico' };
const SES = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com', From: 'no-reply@example.com' };

async function enableEmailMfa(id: string, mode: 'ON' | 'OPTIONAL'): Promise<void> {
  const settings = {
    MfaConfiguration: mode,
    SmsMfaConfiguration: { SmsConfiguration: SMS },
    SoftwareTokenMfaConfiguration: { Enabled: true },
    EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' },
  };
  await t.adminClient().send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, ...settings }));
}

async function latestCodeTo(to: string): Promise<string> {
  const message = (await listOutbox(t.engine.deps)).find((m) => m.to === to);
  expect(message, `a message to ${to}`).toBeDefined();
  return /\b(\d{6})\b/.exec(message!.text)![1]!;
}

const signIn = (username: string, id = clientId) =>
  pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: id, AuthParameters: { USERNAME: username, PASSWORD } }));

const answer = (session: string | undefined, ChallengeName: 'SMS_MFA' | 'EMAIL_OTP' | 'SELECT_MFA_TYPE' | 'MFA_SETUP', responses: Record<string, string>, id = clientId) =>
  pub.send(new RespondToAuthChallengeCommand({ ClientId: id, ChallengeName, Session: session, ChallengeResponses: responses }));

const setPreference = (username: string, prefs: Omit<ConstructorParameters<typeof AdminSetUserMFAPreferenceCommand>[0], 'UserPoolId' | 'Username'>, id = poolId) =>
  t.adminClient().send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: id, Username: username, ...prefs }));

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t, { MfaConfiguration: 'OPTIONAL', SmsConfiguration: SMS, EmailConfiguration: SES });
  await enableEmailMfa(poolId, 'OPTIONAL');
  ({ clientId } = await makeClient(t, poolId));
});
afterAll(async () => t?.close());

describe('SMS_MFA', () => {
  it('sends a 6-digit code to the phone, accepts it after a wrong one, and marks the phone verified', async () => {
    await makeUser(t, poolId, 'sally', { attributes: { phone_number: '+15555550123' } });
    await setPreference('sally', { SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
    const init = await signIn('sally');
    expect(init.ChallengeName).toBe('SMS_MFA');
    expect(init.ChallengeParameters).toEqual({ CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0123' });
    const code = await latestCodeTo('+15555550123');
    const wrong = code === '000000' ? '111111' : '000000';
    await expectError(answer(init.Session, 'SMS_MFA', { USERNAME: 'sally', SMS_MFA_CODE: wrong }), 'CodeMismatchException', 'Invalid code or auth state for the user.');
    const done = await answer(init.Session, 'SMS_MFA', { USERNAME: 'sally', SMS_MFA_CODE: code });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    const user = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sally' }));
    expect(user.UserAttributes?.find((a) => a.Name === 'phone_number_verified')?.Value).toBe('true');
  });

  it('cannot be turned on without a phone number', async () => {
    await makeUser(t, poolId, 'nophone', { attributes: { email: 'np@example.com' } });
    await expectError(setPreference('nophone', { SMSMfaSettings: { Enabled: true } }), 'InvalidParameterException', 'User does not have delivery config set to turn on SMS_MFA');
    await expectError(setPreference('nophone', { SoftwareTokenMfaSettings: { Enabled: true } }), 'InvalidParameterException', 'User has not verified software token mfa');
  });
});

describe('EMAIL_OTP', () => {
  it('sends the code by email with a masked destination', async () => {
    await makeUser(t, poolId, 'emma', { attributes: { email: 'emma@example.com', email_verified: 'true' } });
    await setPreference('emma', { EmailMfaSettings: { Enabled: true } });
    const init = await signIn('emma');
    expect(init.ChallengeName).toBe('EMAIL_OTP');
    expect(init.ChallengeParameters).toEqual({ CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'e***@e***' });
    // The pool's EmailMfaConfiguration template, not the SMS text.
    const mail = (await listOutbox(t.engine.deps)).find((m) => m.to === 'emma@example.com')!;
    expect(mail.subject).toBe('Sign-in code');
    expect(mail.text).toMatch(/^Your sign-in code is \d{6}$/);
    const done = await answer(init.Session, 'EMAIL_OTP', { USERNAME: 'emma', EMAIL_OTP_CODE: await latestCodeTo('emma@example.com') });
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
  });
});

describe('SELECT_MFA_TYPE', () => {
  it('offers the enabled factors when none is preferred, then runs the chosen one', async () => {
    await makeUser(t, poolId, 'cleo', { attributes: { phone_number: '+15555550199' } });
    const tokens = (await signIn('cleo')).AuthenticationResult!;
    const { SecretCode } = await pub.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }));
    const totp = new TOTP({ secret: Secret.fromBase32(SecretCode!), algorithm: 'SHA1', digits: 6, period: 30 });
    await pub.send(new VerifySoftwareTokenCommand({ AccessToken: tokens.AccessToken, UserCode: totp.generate({ timestamp: t.clock.now() }) }));
    await setPreference('cleo', { SMSMfaSettings: { Enabled: true }, SoftwareTokenMfaSettings: { Enabled: true } });

    const init = await signIn('cleo');
    expect(init.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(JSON.parse(init.ChallengeParameters!['MFAS_CAN_CHOOSE']!)).toEqual(['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
    await expectError(answer(init.Session, 'SELECT_MFA_TYPE', { USERNAME: 'cleo', ANSWER: 'EMAIL_OTP' }), 'InvalidParameterException');
    const sms = await answer(init.Session, 'SELECT_MFA_TYPE', { USERNAME: 'cleo', ANSWER: 'SMS_MFA' });
    expect(sms.ChallengeName).toBe('SMS_MFA');
    const done = await answer(sms.Session, 'SMS_MFA', { USERNAME: 'cleo', SMS_MFA_CODE: await latestCodeTo('+15555550199') });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();

    // With a preference set, that factor is asked directly.
    await setPreference('cleo', { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    expect((await signIn('cleo')).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });
});

describe('MFA_SETUP by email', () => {
  it('sets up EMAIL_OTP with the address given in the answer', async () => {
    const required = await makePool(t, { MfaConfiguration: 'ON', SmsConfiguration: SMS, EmailConfiguration: SES });
    await enableEmailMfa(required, 'ON');
    const { clientId: app } = await makeClient(t, required);
    await makeUser(t, required, 'neo');
    const init = await signIn('neo', app);
    expect(init.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(init.ChallengeParameters!['MFAS_CAN_SETUP']!)).toEqual(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
    const otp = await answer(init.Session, 'MFA_SETUP', { USERNAME: 'neo', EMAIL: 'neo@example.com' }, app);
    expect(otp.ChallengeName).toBe('EMAIL_OTP');
    expect(otp.ChallengeParameters!['CODE_DELIVERY_DESTINATION']).toBe('n***@e***');
    const done = await answer(otp.Session, 'EMAIL_OTP', { USERNAME: 'neo', EMAIL_OTP_CODE: await latestCodeTo('neo@example.com') }, app);
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();

    const user = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: required, Username: 'neo' }));
    expect(user.UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe('neo@example.com');
    expect(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value).toBe('true');
    expect((await signIn('neo', app)).ChallengeName).toBe('EMAIL_OTP');
  });
});
