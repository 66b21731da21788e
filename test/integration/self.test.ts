import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminDisableUserCommand,
  AdminGetUserCommand,
  ChangePasswordCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
  type GetUserCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, expectError, makeClient, makePool, makeUser } from './auth-fixtures';
import { lastCode, messagesTo, passwordSignIn, wrongCode } from '../helpers/self-service';
import { findPool } from '../../lib/userpool/pools';
import { findClient } from '../../lib/userpool/clients';
import { findUserByUsername } from '../../lib/userpool/users';
import { issueTokens } from '../../lib/userpool/tokens';

let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t, {
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'employee_id', AttributeDataType: 'String', Mutable: false }],
  });
  ({ clientId } = await makeClient(t, poolId));
});
afterAll(async () => t?.close());

const attrs = (a: Record<string, string>) => Object.entries(a).map(([Name, Value]) => ({ Name, Value }));
const attr = (out: GetUserCommandOutput | { UserAttributes?: Array<{ Name?: string; Value?: string }> }, name: string) =>
  out.UserAttributes?.find((a) => a.Name === name)?.Value;
const getUser = (token: string) => pub.send(new GetUserCommand({ AccessToken: token }));

/** A confirmed user with a verified email, signed in. */
async function signedIn(username: string, pool = poolId, client = clientId, extra: Record<string, string> = {}) {
  await makeUser(t, pool, username, { attributes: { email: `${username}@example.com`, email_verified: 'true', ...extra } });
  return passwordSignIn(pub, client, username, PASSWORD);
}

describe('GetUser', () => {
  it('returns the username and attributes of the token holder', async () => {
    const tokens = await signedIn('gus', poolId, clientId, { given_name: 'Gus' });
    const out = await getUser(tokens.AccessToken!);
    expect(out.Username).toBe('gus');
    expect(attr(out, 'email')).toBe('gus@example.com');
    expect(attr(out, 'email_verified')).toBe('true');
    expect(attr(out, 'given_name')).toBe('Gus');
    expect(attr(out, 'sub')).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.UserMFASettingList).toBeUndefined();
    expect(out.MFAOptions).toBeUndefined();
  });

  it('shows only what the token\'s client may read', async () => {
    const { clientId: narrow } = await makeClient(t, poolId, { ReadAttributes: ['email'] });
    await makeUser(t, poolId, 'narrow', { attributes: { email: 'narrow@example.com', given_name: 'N' } });
    const tokens = await passwordSignIn(pub, narrow, 'narrow', PASSWORD);
    const names = (await getUser(tokens.AccessToken!)).UserAttributes!.map((a) => a.Name).sort();
    expect(names).toEqual(['email', 'sub']);
  });

  it('refuses bad, expired and under-scoped tokens with Cognito\'s messages', async () => {
    await expectError(getUser('not-a-token'), 'NotAuthorizedException', 'Invalid Access Token');
    const tokens = await signedIn('expiring');
    await expectError(getUser(tokens.IdToken!), 'NotAuthorizedException', 'Invalid Access Token');
    t.clock.advance(3600_000 + 1000);
    await expectError(getUser(tokens.AccessToken!), 'NotAuthorizedException', 'Access Token has expired');

    const deps = t.engine.deps;
    const pool = (await findPool(deps, poolId))!;
    const oauth = await issueTokens(deps, {
      pool,
      client: (await findClient(deps, clientId))!,
      user: (await findUserByUsername(deps, pool, 'expiring'))!,
      authTime: Math.floor(deps.clock.now() / 1000),
      withRefreshToken: true,
      // Without openid: GetUser accepts openid-scoped tokens (issue 3, Portico deviation).
      scopes: ['email', 'profile'],
    });
    await expectError(getUser(oauth.AccessToken!), 'NotAuthorizedException', 'Access Token does not have required scopes');
  });

  it('refuses tokens of disabled and deleted users', async () => {
    const tokens = await signedIn('doomed');
    // AdminDisableUser revokes the user's tokens, as Cognito documents.
    await t.adminClient().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'doomed' }));
    await expectError(getUser(tokens.AccessToken!), 'NotAuthorizedException', 'Access Token has been revoked');
    await expectError(passwordSignIn(pub, clientId, 'doomed', PASSWORD), 'NotAuthorizedException', 'User is disabled.');

    const gone = await signedIn('leaver');
    await pub.send(new DeleteUserCommand({ AccessToken: gone.AccessToken }));
    await expectError(getUser(gone.AccessToken!), 'UserNotFoundException', 'User does not exist.');
    await expectError(t.adminClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'leaver' })), 'UserNotFoundException', 'User does not exist.');
    await expectError(
      pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: gone.RefreshToken })),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );
  });
});

describe('UpdateUserAttributes / VerifyUserAttribute', () => {
  it('updates ordinary attributes', async () => {
    const tokens = await signedIn('ursula');
    const out = await pub.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: attrs({ given_name: 'Ursula', 'custom:employee_id': 'E1' }) }));
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    const user = await getUser(tokens.AccessToken!);
    expect(attr(user, 'given_name')).toBe('Ursula');
    expect(attr(user, 'custom:employee_id')).toBe('E1');
    await expectError(
      pub.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: attrs({ 'custom:employee_id': 'E2' }) })),
      'InvalidParameterException',
      'Cannot modify the non-mutable attribute custom:employee_id',
    );
  });

  it('refuses attributes the caller may not write', async () => {
    const tokens = await signedIn('mallory');
    const update = (a: Record<string, string>, token = tokens.AccessToken) => pub.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: attrs(a) }));
    await expectError(update({ email_verified: 'true' }), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute');
    await expectError(update({ favourite_colour: 'red' }), 'InvalidParameterException', 'Attributes did not conform to the schema: Type for attribute {favourite_colour} could not be determined');
    const { clientId: limited } = await makeClient(t, poolId, { WriteAttributes: ['given_name'] });
    const limitedTokens = await passwordSignIn(pub, limited, 'mallory', PASSWORD);
    await expectError(update({ family_name: 'X' }, limitedTokens.AccessToken), 'NotAuthorizedException', 'A client attempted to write unauthorized attribute');
  });

  it('stores a new email unverified, sends a code, and verifies it', async () => {
    const tokens = await signedIn('victor');
    const out = await pub.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: attrs({ email: 'victor.new@example.com' }) }));
    expect(out.CodeDeliveryDetailsList).toEqual([{ Destination: 'v***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    let user = await getUser(tokens.AccessToken!);
    expect(attr(user, 'email')).toBe('victor.new@example.com');
    expect(attr(user, 'email_verified')).toBe('false');
    const code = await lastCode(t, 'victor.new@example.com');
    const verify = (c: string) => pub.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'email', Code: c }));
    await expectError(verify(wrongCode(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    await verify(code);
    user = await getUser(tokens.AccessToken!);
    expect(attr(user, 'email_verified')).toBe('true');
    await expectError(verify(code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
  });

  it('keeps the old email until the new one is verified when the pool requires it', async () => {
    const strict = await makePool(t, {
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    const { clientId: strictClient } = await makeClient(t, strict);
    const tokens = await signedIn('wendy', strict, strictClient);
    const out = await pub.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: attrs({ email: 'wendy.new@example.com' }) }));
    expect(out.CodeDeliveryDetailsList?.[0]?.Destination).toBe('w***@e***');
    let user = await getUser(tokens.AccessToken!);
    expect(attr(user, 'email')).toBe('wendy@example.com');
    expect(attr(user, 'email_verified')).toBe('true');
    // Asking again re-sends to the pending address, not the current one.
    await pub.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'email' }));
    expect(await messagesTo(t, 'wendy.new@example.com')).toHaveLength(2);
    expect(await messagesTo(t, 'wendy@example.com')).toHaveLength(0);
    await pub.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'email', Code: await lastCode(t, 'wendy.new@example.com') }));
    user = await getUser(tokens.AccessToken!);
    expect(attr(user, 'email')).toBe('wendy.new@example.com');
    expect(attr(user, 'email_verified')).toBe('true');
    expect((await passwordSignIn(pub, strictClient, 'wendy', PASSWORD)).AccessToken).toBeTruthy();
  });

  it('refuses an email that is already someone\'s sign-in name (email-as-username pool)', async () => {
    const byEmail = await makePool(t, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    const { clientId: byEmailClient } = await makeClient(t, byEmail);
    await makeUser(t, byEmail, 'first@example.com');
    await makeUser(t, byEmail, 'second@example.com');
    const tokens = await passwordSignIn(pub, byEmailClient, 'second@example.com', PASSWORD);
    await expectError(
      pub.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: attrs({ email: 'first@example.com' }) })),
      'AliasExistsException',
      'An account with the given email already exists.',
    );
  });

  it('refuses to verify an email alias another user holds verified', async () => {
    const aliasPool = await makePool(t, { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    const { clientId: aliasClient } = await makeClient(t, aliasPool);
    await makeUser(t, aliasPool, 'holder', { attributes: { email: 'mine@example.com', email_verified: 'true' } });
    const tokens = await signedIn('taker', aliasPool, aliasClient);
    await pub.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: attrs({ email: 'mine@example.com' }) }));
    const code = await lastCode(t, 'mine@example.com');
    await expectError(
      pub.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'email', Code: code })),
      'AliasExistsException',
      'An account with the email already exists.',
    );
    expect(attr(await getUser(tokens.AccessToken!), 'email_verified')).toBe('false');
  });
});

describe('GetUserAttributeVerificationCode', () => {
  it('sends a code to the current value and is limited per hour', async () => {
    const tokens = await signedIn('petra', poolId, clientId, { phone_number: '+15555550777' });
    const send = (name: string) => pub.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: tokens.AccessToken, AttributeName: name }));
    expect((await send('phone_number')).CodeDeliveryDetails).toEqual({ Destination: '+*******0777', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    await pub.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'phone_number', Code: await lastCode(t, '+15555550777') }));
    expect(attr(await getUser(tokens.AccessToken!), 'phone_number_verified')).toBe('true');
    await expectError(send('given_name'), 'InvalidParameterException', 'Invalid attribute name: given_name. Only email and phone_number can be verified.');
    for (let i = 0; i < 5; i++) await send('email');
    await expectError(send('email'), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
  });
});

describe('DeleteUserAttributes', () => {
  it('removes attributes, with their verified flag, but not required or immutable ones', async () => {
    const required = await makePool(t, {
      Schema: [{ Name: 'name', Required: true, Mutable: true, AttributeDataType: 'String' }],
    });
    const { clientId: requiredClient } = await makeClient(t, required);
    const tokens = await signedIn('dora', required, requiredClient, { name: 'Dora', given_name: 'D' });
    await pub.send(new DeleteUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributeNames: ['given_name', 'email'] }));
    const user = await getUser(tokens.AccessToken!);
    expect(attr(user, 'given_name')).toBeUndefined();
    expect(attr(user, 'email')).toBeUndefined();
    expect(attr(user, 'email_verified')).toBeUndefined();
    await expectError(
      pub.send(new DeleteUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributeNames: ['name'] })),
      'InvalidParameterException',
      'Attributes did not conform to the schema: name: The attribute name is required',
    );
    await expectError(
      pub.send(new DeleteUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributeNames: ['sub'] })),
      'InvalidParameterException',
      'Cannot modify the non-mutable attribute sub',
    );
  });
});

describe('ChangePassword', () => {
  it('checks the previous password and the policy, then changes it', async () => {
    const tokens = await signedIn('chad');
    const change = (previous: string, proposed: string) =>
      pub.send(new ChangePasswordCommand({ AccessToken: tokens.AccessToken, PreviousPassword: previous, ProposedPassword: proposed }));
    await expectError(change('Not-the-0ne!', 'An0ther-Passw0rd!'), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectError(change(PASSWORD, 'short'), 'InvalidPasswordException', 'Password does not conform to policy: Password not long enough');
    await change(PASSWORD, 'An0ther-Passw0rd!');
    await expectError(passwordSignIn(pub, clientId, 'chad', PASSWORD), 'NotAuthorizedException', 'Incorrect username or password.');
    expect((await passwordSignIn(pub, clientId, 'chad', 'An0ther-Passw0rd!')).AccessToken).toBeTruthy();
    expect((await getUser(tokens.AccessToken!)).Username).toBe('chad');
  });
});

describe('GlobalSignOut', () => {
  it('revokes every session of the user; a new sign-in works', async () => {
    const first = await signedIn('otto');
    const second = await passwordSignIn(pub, clientId, 'otto', PASSWORD);
    await pub.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken }));
    for (const tokens of [first, second]) {
      await expectError(getUser(tokens.AccessToken!), 'NotAuthorizedException', 'Access Token has been revoked');
      await expectError(
        pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken })),
        'NotAuthorizedException',
        'Refresh Token has been revoked',
      );
    }
    await expectError(pub.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken })), 'NotAuthorizedException', 'Access Token has been revoked');
    const fresh = await passwordSignIn(pub, clientId, 'otto', PASSWORD);
    expect((await getUser(fresh.AccessToken!)).Username).toBe('otto');
  });
});
