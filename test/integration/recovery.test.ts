import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, expectError, makeClient, makePool, makeUser } from './auth-fixtures';
import { lastCode, messagesTo, passwordSignIn, wrongCode } from '../helpers/self-service';
import { secretHash } from '../../lib/userpool/secret-hash';

let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let hiddenClientId: string;

const NEW_PASSWORD = 'N3w-Passw0rd!';
const HOUR = 3600_000;

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t);
  ({ clientId } = await makeClient(t, poolId));
  ({ clientId: hiddenClientId } = await makeClient(t, poolId, { PreventUserExistenceErrors: 'ENABLED' }));
});
afterAll(async () => t?.close());

const forgot = (username: string, id = clientId, secretHashValue?: string) =>
  pub.send(new ForgotPasswordCommand({ ClientId: id, Username: username, SecretHash: secretHashValue }));
const confirmForgot = (username: string, code: string, password = NEW_PASSWORD, id = clientId) =>
  pub.send(new ConfirmForgotPasswordCommand({ ClientId: id, Username: username, ConfirmationCode: code, Password: password }));
const verifiedEmailUser = (username: string) =>
  makeUser(t, poolId, username, { attributes: { email: `${username}@example.com`, email_verified: 'true' } });

describe('ForgotPassword / ConfirmForgotPassword', () => {
  it('mails a code to the verified email, sets the new password with it, and keeps existing sessions', async () => {
    await verifiedEmailUser('rita');
    const before = await passwordSignIn(pub, clientId, 'rita', PASSWORD);
    const out = await forgot('rita');
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'r***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await lastCode(t, 'rita@example.com');
    await expectError(confirmForgot('rita', wrongCode(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    await expectError(confirmForgot('rita', code, 'weakpassword'), 'InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters');
    await confirmForgot('rita', code);
    await expectError(passwordSignIn(pub, clientId, 'rita', PASSWORD), 'NotAuthorizedException', 'Incorrect username or password.');
    expect((await passwordSignIn(pub, clientId, 'rita', NEW_PASSWORD)).AccessToken).toBeTruthy();
    // Cognito does not end sessions on a password reset.
    expect((await pub.send(new GetUserCommand({ AccessToken: before.AccessToken }))).Username).toBe('rita');
    const refreshed = await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: before.RefreshToken }));
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
    // The code is single use: with none pending, Cognito asks for a new one.
    await expectError(confirmForgot('rita', code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
  });

  it('lets the code expire after an hour', async () => {
    await verifiedEmailUser('slow');
    await forgot('slow');
    const code = await lastCode(t, 'slow@example.com');
    t.clock.advance(HOUR + 1000);
    await expectError(confirmForgot('slow', code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
  });

  it('needs a verified channel', async () => {
    await makeUser(t, poolId, 'unverified', { attributes: { email: 'unverified@example.com' } });
    await expectError(
      forgot('unverified'),
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
    expect(await messagesTo(t, 'unverified@example.com')).toHaveLength(0);
  });

  it('follows AccountRecoverySetting priority', async () => {
    const smsFirst = await makePool(t);
    const emailFirst = await makePool(t, {
      AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }, { Priority: 2, Name: 'verified_phone_number' }] },
    });
    const both = { email: 'both@example.com', email_verified: 'true', phone_number: '+15555550199', phone_number_verified: 'true' };
    for (const pool of [smsFirst, emailFirst]) await makeUser(t, pool, 'both', { attributes: both });
    const { clientId: smsClient } = await makeClient(t, smsFirst);
    const { clientId: emailClient } = await makeClient(t, emailFirst);
    expect((await forgot('both', smsClient)).CodeDeliveryDetails).toEqual({ Destination: '+*******0199', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    expect((await forgot('both', emailClient)).CodeDeliveryDetails).toEqual({ Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  });

  it('limits requests per user per hour', async () => {
    await verifiedEmailUser('hammer');
    for (let i = 0; i < 5; i++) await forgot('hammer');
    await expectError(forgot('hammer'), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    t.clock.advance(HOUR + 1000);
    await forgot('hammer');
  });

  it('voids the code after too many wrong guesses', async () => {
    await verifiedEmailUser('guess');
    await forgot('guess');
    const code = await lastCode(t, 'guess@example.com');
    for (let i = 0; i < 5; i++) {
      await expectError(confirmForgot('guess', wrongCode(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    await expectError(confirmForgot('guess', code), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
  });

  it('refuses invited users who have not chosen a password yet', async () => {
    await t.adminClient().send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'invited',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'invited@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await expectError(forgot('invited'), 'NotAuthorizedException', 'User password cannot be reset in the current state.');
  });

  it('confirms a RESET_REQUIRED user with the code from AdminResetUserPassword', async () => {
    await verifiedEmailUser('reset');
    await t.adminClient().send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'reset' }));
    await expectError(passwordSignIn(pub, clientId, 'reset', PASSWORD), 'PasswordResetRequiredException', 'Password reset required for the user');
    await confirmForgot('reset', await lastCode(t, 'reset@example.com'));
    expect((await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'reset' }))).UserStatus).toBe('CONFIRMED');
    expect((await passwordSignIn(pub, clientId, 'reset', NEW_PASSWORD)).AccessToken).toBeTruthy();
  });

  it('needs SECRET_HASH for a client with a secret', async () => {
    await verifiedEmailUser('secretive');
    const { clientId: secretClient, secret } = await makeClient(t, poolId, { GenerateSecret: true });
    await expectError(forgot('secretive', secretClient), 'NotAuthorizedException', `Client ${secretClient} is configured with secret but SECRET_HASH was not received`);
    await expectError(
      forgot('secretive', secretClient, secretHash(secret!, 'someone', secretClient)),
      'NotAuthorizedException',
      `Unable to verify secret hash for client ${secretClient}`,
    );
    expect((await forgot('secretive', secretClient, secretHash(secret!, 'secretive', secretClient))).CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
  });
});

describe('PreventUserExistenceErrors', () => {
  it('LEGACY names unknown and disabled users', async () => {
    await expectError(forgot('nobody'), 'UserNotFoundException', 'Username/client id combination not found.');
    await expectError(confirmForgot('nobody', '123456'), 'UserNotFoundException', 'Username/client id combination not found.');
    await verifiedEmailUser('disabled-legacy');
    await t.adminClient().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'disabled-legacy' }));
    await expectError(forgot('disabled-legacy'), 'NotAuthorizedException', 'User is disabled.');
    await expectError(confirmForgot('disabled-legacy', '123456'), 'NotAuthorizedException', 'User is disabled.');
  });

  it('ENABLED answers with a stable pretend delivery and code errors that reveal nothing', async () => {
    const first = await forgot('nobody', hiddenClientId);
    expect(first.CodeDeliveryDetails).toEqual({ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect((await forgot('nobody', hiddenClientId)).CodeDeliveryDetails).toEqual(first.CodeDeliveryDetails);
    expect((await forgot('+15555550100', hiddenClientId)).CodeDeliveryDetails).toEqual({
      Destination: '+*******0100',
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
    await expectError(confirmForgot('nobody', '123456', NEW_PASSWORD, hiddenClientId), 'CodeMismatchException', 'Invalid verification code provided, please try again.');

    await verifiedEmailUser('disabled-hidden');
    await t.adminClient().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'disabled-hidden' }));
    expect((await forgot('disabled-hidden', hiddenClientId)).CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect(await messagesTo(t, 'disabled-hidden@example.com')).toHaveLength(0);
    await expectError(
      confirmForgot('disabled-hidden', '123456', NEW_PASSWORD, hiddenClientId),
      'CodeMismatchException',
      'Invalid verification code provided, please try again.',
    );

    await makeUser(t, poolId, 'no-channel', { attributes: { email: 'no-channel@example.com' } });
    expect((await forgot('no-channel', hiddenClientId)).CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect(await messagesTo(t, 'no-channel@example.com')).toHaveLength(0);
  });

  it('ENABLED: a real user who asked for no code gets ExpiredCodeException', async () => {
    await verifiedEmailUser('never-asked');
    await expectError(
      confirmForgot('never-asked', '123456', NEW_PASSWORD, hiddenClientId),
      'ExpiredCodeException',
      'Invalid code provided, please request a code again.',
    );
  });
});
