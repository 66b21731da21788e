import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  AdminSetUserMFAPreferenceCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, expectError, makeClient, makePool, makeUser } from './auth-fixtures';
import { lastCode, messagesTo } from '../helpers/self-service';
import { listOutbox } from '../../lib/userpool/outbox';
import { createPoolClient } from '../../lib/pool-client/client';

/**
 * The pool's caps on codes sent (lib/userpool/send-limits): per destination and per network source IP,
 * per hour, through the real AWS SDK over HTTP from 127.0.0.1.
 */
const HOUR = 3_600_000;
const LIMIT = 'Attempt limit exceeded, please try after some time.';

describe('per destination', () => {
  let t: TestPool;
  let pub: CognitoIdentityProviderClient;
  let clientId: string;
  let poolId: string;
  beforeAll(async () => {
    t = await startTestPool({ limits: { codesPerRecipientHour: 5, codesPerIpHour: 1000 } });
    pub = t.publicClient();
    poolId = await makePool(t, { AutoVerifiedAttributes: ['email'] });
    ({ clientId } = await makeClient(t, poolId));
  });
  afterAll(async () => t?.close());

  const signUp = (username: string, email: string) =>
    pub.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));

  it('refuses the 6th code to one address in an hour and queues nothing; others still work; the window resets', async () => {
    // Five codes to one address from different users and operations: all count against the address.
    await signUp('a1', 'flood@example.com');
    await signUp('a2', 'Flood@Example.com');
    await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'a1' }));
    await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'a2' }));
    await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'a1' }));
    expect(await messagesTo(t, 'flood@example.com')).toHaveLength(3);
    expect(await messagesTo(t, 'Flood@Example.com')).toHaveLength(2);
    const before = (await listOutbox(t.engine.deps)).length;

    await expectError(pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'a2' })), 'LimitExceededException', LIMIT);
    expect((await listOutbox(t.engine.deps)).length).toBe(before);

    // A sign-up whose code would be refused does not create the user.
    await expectError(signUp('a3', 'FLOOD@example.com'), 'LimitExceededException', LIMIT);
    await expectError(t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'a3' })), 'UserNotFoundException');
    expect((await listOutbox(t.engine.deps)).length).toBe(before);

    // Another address is not affected.
    await signUp('b1', 'other@example.com');
    expect(await messagesTo(t, 'other@example.com')).toHaveLength(1);

    t.clock.advance(HOUR + 1000);
    await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'a2' }));
    expect(await messagesTo(t, 'Flood@Example.com')).toHaveLength(3);
  });
});

describe('a refused resend', () => {
  let t: TestPool;
  let pub: CognitoIdentityProviderClient;
  let clientId: string;
  beforeAll(async () => {
    t = await startTestPool({ limits: { codesPerRecipientHour: 2, codesPerIpHour: 1000 } });
    pub = t.publicClient();
    const poolId = await makePool(t, { AutoVerifiedAttributes: ['email'] });
    ({ clientId } = await makeClient(t, poolId));
  });
  afterAll(async () => t?.close());

  it('leaves the code the person already has working', async () => {
    await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'keep', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'keep@example.com' }] }));
    await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'keep' }));
    const code = await lastCode(t, 'keep@example.com');
    await expectError(pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'keep' })), 'LimitExceededException', LIMIT);
    await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'keep', ConfirmationCode: code }));
  });
});

describe('per source IP', () => {
  let t: TestPool;
  let pub: CognitoIdentityProviderClient;
  let clientId: string;
  let poolId: string;
  beforeAll(async () => {
    t = await startTestPool({ limits: { codesPerRecipientHour: 100, codesPerIpHour: 3 } });
    pub = t.publicClient();
    poolId = await makePool(t, { AutoVerifiedAttributes: ['email'] });
    ({ clientId } = await makeClient(t, poolId));
  });
  afterAll(async () => t?.close());

  it('refuses network callers past the cap, for any address, until the window ends', async () => {
    for (const n of [1, 2]) {
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: `ip${n}`, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `ip${n}@example.com` }] }));
    }
    await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ip1' }));
    await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'ip1' }));
    const before = (await listOutbox(t.engine.deps)).length;
    await expectError(
      pub.send(new SignUpCommand({ ClientId: clientId, Username: 'ip3', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'ip3@example.com' }] })),
      'LimitExceededException',
      LIMIT,
    );
    await expectError(pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'ip2' })), 'LimitExceededException', LIMIT);
    expect((await listOutbox(t.engine.deps)).length).toBe(before);
    t.clock.advance(HOUR + 1000);
    await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'ip2' }));
    expect(await messagesTo(t, 'ip2@example.com')).toHaveLength(2);
  });

  it('does not cap in-process calls (the hosted front) per IP', async () => {
    const local = createPoolClient({
      region: 'us-east-1',
      publicUrl: t.url,
      credentials: { accessKeyId: t.admin.keyId, secretAccessKey: t.admin.secret },
      wire: async () => (req) => t.engine.handle(req),
    });
    for (const n of [1, 2, 3, 4]) {
      await local.send(new SignUpCommand({ ClientId: clientId, Username: `local${n}`, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `local${n}@example.com` }] }));
    }
    expect(await messagesTo(t, 'local4@example.com')).toHaveLength(1);
    local.destroy();
  });
});

describe('sign-in MFA codes', () => {
  let t: TestPool;
  beforeAll(async () => {
    t = await startTestPool({ limits: { codesPerRecipientHour: 2, codesPerIpHour: 1000 } });
  });
  afterAll(async () => t?.close());

  it('count against the destination cap too', async () => {
    const SES = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com', From: 'no-reply@example.com' };
    const poolId = await makePool(t, { EmailConfiguration: SES });
    await t.adminClient().send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Code' } }),
    );
    const { clientId } = await makeClient(t, poolId);
    await makeUser(t, poolId, 'mfa', { attributes: { email: 'mfa@example.com', email_verified: 'true' } });
    await t.adminClient().send(
      new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'mfa', EmailMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    const pub = t.publicClient();
    const signIn = () => pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'mfa', PASSWORD } }));
    expect((await signIn()).ChallengeName).toBe('EMAIL_OTP');
    expect((await signIn()).ChallengeName).toBe('EMAIL_OTP');
    await expectError(signIn(), 'LimitExceededException', LIMIT);
    expect(await messagesTo(t, 'mfa@example.com')).toHaveLength(2);
  });
});
