import { describe, expect, it } from 'vitest';
import type { PoolConfig, PoolRecord } from '../../lib/userpool/pools';
import type { ClientConfig, ClientRecord } from '../../lib/userpool/clients';
import type { UserRecord } from '../../lib/userpool/users';
import { confirmationChannel, passwordOptional, recoveryChannel } from '../../lib/userpool/code-channels';
import { codeError, recentSends } from '../../lib/userpool/verification-codes';
import { hidesUserExistence, pretendDelivery } from '../../lib/userpool/user-existence';
import { checkClientSecret } from '../../lib/userpool/client-secret';
import { retryGraceMs, rotationEnabled } from '../../lib/userpool/refresh';
import { mfaSummary } from '../../lib/userpool/user-mfa-summary';
import { CognitoError } from '../../lib/userpool/errors';

const pool = (config: PoolConfig = {}): PoolRecord => ({ id: 'us-east-1_Test', name: 't', srpName: 'Test', config, createdAt: 0, updatedAt: 0 });
const client = (config: ClientConfig = {}, secret?: string): ClientRecord => ({ clientId: 'client1', poolId: 'us-east-1_Test', name: 'c', secret, config, createdAt: 0, updatedAt: 0 });

function thrown(fn: () => unknown): CognitoError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CognitoError);
    return e as CognitoError;
  }
  throw new Error('expected a CognitoError');
}

describe('confirmationChannel', () => {
  it('uses an auto-verified attribute the user has, the phone before the email', () => {
    const both = pool({ AutoVerifiedAttributes: ['email', 'phone_number'] });
    expect(confirmationChannel(both, { email: 'a@b.c', phone_number: '+15550001' })).toBe('phone_number');
    expect(confirmationChannel(both, { email: 'a@b.c' })).toBe('email');
    expect(confirmationChannel(pool({ AutoVerifiedAttributes: ['email'] }), { phone_number: '+15550001' })).toBeUndefined();
    expect(confirmationChannel(pool(), { email: 'a@b.c' })).toBeUndefined();
  });
});

describe('recoveryChannel', () => {
  const verifiedBoth = { email: 'a@b.c', email_verified: 'true', phone_number: '+15550001', phone_number_verified: 'true' };

  it('follows the mechanisms by priority, not by list order', () => {
    const emailFirst = pool({
      AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 2, Name: 'verified_phone_number' }, { Priority: 1, Name: 'verified_email' }] },
    });
    expect(recoveryChannel(emailFirst, verifiedBoth)).toBe('email');
    expect(recoveryChannel(emailFirst, { ...verifiedBoth, email_verified: 'false' })).toBe('phone_number');
  });

  it('falls back to Cognito\'s legacy order (phone first) without a setting', () => {
    expect(recoveryChannel(pool(), verifiedBoth)).toBe('phone_number');
  });

  it('never picks an unverified or missing attribute, nor anything in admin_only pools', () => {
    expect(recoveryChannel(pool(), { email: 'a@b.c', email_verified: 'false' })).toBeUndefined();
    expect(recoveryChannel(pool(), { email_verified: 'true' })).toBeUndefined();
    expect(recoveryChannel(pool({ AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'admin_only' }] } }), verifiedBoth)).toBeUndefined();
  });
});

describe('passwordOptional', () => {
  it('only when a one-time-code first factor can reach an auto-verified attribute', () => {
    const otp = pool({ Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } }, AutoVerifiedAttributes: ['email'] });
    expect(passwordOptional(otp, { email: 'a@b.c' })).toBe(true);
    expect(passwordOptional(otp, { phone_number: '+15550001' })).toBe(false);
    expect(passwordOptional(pool({ AutoVerifiedAttributes: ['email'] }), { email: 'a@b.c' })).toBe(false);
  });
});

describe('send limit and code errors', () => {
  it('counts only sends within the last hour', () => {
    const now = 10_000_000;
    expect(recentSends([now - 3_600_001, now - 3_599_000, now - 10, now], now)).toEqual([now - 3_599_000, now - 10, now]);
    expect(recentSends(undefined, now)).toEqual([]);
    expect(recentSends(['x', now + 5], now)).toEqual([]);
  });

  it('maps code outcomes to Cognito\'s errors', () => {
    expect(codeError('mismatch')).toMatchObject({ type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
    expect(codeError('expired')).toMatchObject({ type: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
    expect(codeError('missing')).toMatchObject({ type: 'ExpiredCodeException' });
    expect(codeError('exhausted')).toMatchObject({ type: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
  });
});

describe('PreventUserExistenceErrors', () => {
  it('is on only when ENABLED', () => {
    expect(hidesUserExistence(client({ PreventUserExistenceErrors: 'ENABLED' }))).toBe(true);
    expect(hidesUserExistence(client({ PreventUserExistenceErrors: 'LEGACY' }))).toBe(false);
    expect(hidesUserExistence(client())).toBe(false);
  });

  it('pretends a delivery shaped by what was typed, the same every time', () => {
    expect(pretendDelivery(pool(), 'someone@example.org')).toEqual({ Destination: 's***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(pretendDelivery(pool(), '+15555550123')).toEqual({ Destination: '+*******0123', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    const phoneOnly = pool({ AutoVerifiedAttributes: ['phone_number'] });
    const a = pretendDelivery(phoneOnly, 'Kim');
    expect(a.DeliveryMedium).toBe('SMS');
    expect(a.Destination).toMatch(/^\+\*+\d{4}$/);
    expect(pretendDelivery(phoneOnly, 'Kim')).toEqual(a);
    const insensitive = pool({ UsernameConfiguration: { CaseSensitive: false } });
    expect(pretendDelivery(insensitive, 'Kim')).toEqual(pretendDelivery(insensitive, 'kim'));
  });
});

describe('client secrets', () => {
  it('are required and compared for clients that have one, ignored otherwise', () => {
    const secret = 's'.repeat(52);
    expect(() => checkClientSecret(client(), undefined)).not.toThrow();
    expect(() => checkClientSecret(client({}, secret), secret)).not.toThrow();
    expect(thrown(() => checkClientSecret(client({}, secret), undefined))).toMatchObject({
      type: 'NotAuthorizedException',
      message: 'Client client1 is configured for secret but secret was not received',
    });
    expect(thrown(() => checkClientSecret(client({}, secret), `${secret}x`))).toMatchObject({
      type: 'NotAuthorizedException',
      message: 'Unable to verify secret for client client1',
    });
  });
});

describe('rotation settings', () => {
  it('reads Feature and clamps the grace period to 0–60 s', () => {
    expect(rotationEnabled(client())).toBe(false);
    expect(rotationEnabled(client({ RefreshTokenRotation: { Feature: 'DISABLED' } }))).toBe(false);
    expect(rotationEnabled(client({ RefreshTokenRotation: { Feature: 'ENABLED' } }))).toBe(true);
    expect(retryGraceMs(client({ RefreshTokenRotation: { Feature: 'ENABLED' } }))).toBe(0);
    expect(retryGraceMs(client({ RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 } }))).toBe(30_000);
    expect(retryGraceMs(client({ RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 600 } }))).toBe(60_000);
  });
});

describe('mfaSummary', () => {
  const user = (mfa: UserRecord['mfa']) => ({ mfa }) as UserRecord;
  it('lists enabled factors, the preferred one and the legacy SMS option', () => {
    expect(mfaSummary(user({}))).toEqual({});
    expect(mfaSummary(user({ sms: true, totp: true, preferred: 'SOFTWARE_TOKEN_MFA' }))).toEqual({
      MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }],
      PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
      UserMFASettingList: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'],
    });
  });
});
