import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { failure } from '../helpers/failure';

let t: TestPool;
let admin: CognitoIdentityProviderClient;
let poolId: string;

beforeAll(async () => {
  t = await startTestPool();
  admin = t.adminClient();
  const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'users' }));
  poolId = UserPool!.Id!;
});
afterAll(async () => {
  await t.close();
});

const attr = (list: { Name?: string; Value?: string }[] | undefined, name: string) => list?.find((a) => a.Name === name)?.Value;

describe('AdminCreateUser / AdminGetUser / AdminSetUserPassword', () => {
  it('creates a FORCE_CHANGE_PASSWORD user and reads it back', async () => {
    const { User } = await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'alice',
        TemporaryPassword: 'Temp-Passw0rd!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(User).toMatchObject({ Username: 'alice', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(attr(User!.Attributes, 'sub')).toMatch(/^[0-9a-f-]{36}$/);
    const got = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
    expect(got.Username).toBe('alice');
    expect(got.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(attr(got.UserAttributes, 'email')).toBe('alice@example.com');
    expect(got.UserCreateDate).toBeInstanceOf(Date);
  });

  it('refuses a duplicate username', async () => {
    expect(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS' })))).toEqual({
      name: 'UsernameExistsException',
      message: 'User account already exists',
    });
  });

  it('enforces the password policy on the temporary password and on AdminSetUserPassword', async () => {
    expect(
      await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bob', TemporaryPassword: 'short', MessageAction: 'SUPPRESS' }))),
    ).toEqual({ name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password not long enough' });
    expect(
      await failure(admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: 'longenough1!', Permanent: true }))),
    ).toEqual({ name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password must have uppercase characters' });
  });

  it('sets a permanent password (CONFIRMED) and a temporary one (FORCE_CHANGE_PASSWORD)', async () => {
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: 'Perm-Passw0rd!', Permanent: true }));
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }))).UserStatus).toBe('CONFIRMED');
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: 'Temp-Passw0rd2!', Permanent: false }));
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }))).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('answers unknown users and pools', async () => {
    expect(await failure(admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nobody' })))).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    expect(await failure(admin.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_missing01', Username: 'alice' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_missing01 does not exist.',
    });
  });
});

async function outboxTo(to: string) {
  return t.db.selectFrom('outbox').selectAll().where('to_addr', '=', to).orderBy('id').execute();
}

const createPool = async (extra: Record<string, unknown> = {}) =>
  (await admin.send(new CreateUserPoolCommand({ PoolName: 'p', ...extra }))).UserPool!.Id!;

describe('AdminCreateUser: invitations and temporary passwords', () => {
  it('emails a generated temporary password that satisfies the policy and expires after the policy days', async () => {
    const before = Date.now();
    const { User } = await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'invited',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }],
      }),
    );
    expect(User!.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const mails = await outboxTo('invited@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.medium).toBe('EMAIL');
    const m = /Your username is invited and temporary password is (\S+)\. /.exec(mails[0]!.body_text);
    expect(m).not.toBeNull();
    const temp = m![1]!;
    expect(temp.length).toBeGreaterThanOrEqual(8);
    expect(temp).toMatch(/[A-Z]/);
    expect(temp).toMatch(/[a-z]/);
    expect(temp).toMatch(/[0-9]/);
    const row = await t.db.selectFrom('users').select('temp_password_expires_at').where('pool_id', '=', poolId).where('username', '=', 'invited').executeTakeFirstOrThrow();
    const expires = Number(row.temp_password_expires_at);
    expect(expires).toBeGreaterThanOrEqual(before + 7 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
  });

  it('sends by SMS by default, and nothing when the user has no phone number', async () => {
    await admin.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'texted', UserAttributes: [{ Name: 'phone_number', Value: '+15555550123' }] }),
    );
    const texts = await outboxTo('+15555550123');
    expect(texts).toHaveLength(1);
    expect(texts[0]!.medium).toBe('SMS');
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'silent', UserAttributes: [{ Name: 'email', Value: 'silent@example.com' }] }));
    expect(await outboxTo('silent@example.com')).toHaveLength(0);
  });

  it('RESEND gives an invited user a new temporary password; other states and unknown users are refused', async () => {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'resent',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'resent@example.com' }],
      }),
    );
    expect(await outboxTo('resent@example.com')).toHaveLength(0);
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'resent', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] }));
    expect(await outboxTo('resent@example.com')).toHaveLength(1);
    expect(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ghost', MessageAction: 'RESEND' })))).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'resent', Password: 'Perm-Passw0rd!', Permanent: true }));
    expect(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'resent', MessageAction: 'RESEND' })))).toEqual({
      name: 'UnsupportedUserStateException',
      message: 'Resend not possible. resent status is not FORCE_CHANGE_PASSWORD',
    });
  });

  it('checks attributes against the schema, including required ones', async () => {
    const strict = await createPool({ Schema: [{ Name: 'given_name', Required: true }] });
    expect(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: strict, Username: 'x', MessageAction: 'SUPPRESS' })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: given_name: The attribute given_name is required',
    });
    expect(
      await failure(
        admin.send(
          new AdminCreateUserCommand({ UserPoolId: strict, Username: 'x', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'custom:nope', Value: '1' }] }),
        ),
      ),
    ).toEqual({ name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined' });
  });
});

describe('sign-in identifiers', () => {
  it('UsernameAttributes pools store the sub as username and the email as an attribute', async () => {
    const pool = await createPool({ UsernameAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
    expect(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'plainname', MessageAction: 'SUPPRESS' })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Username should be an email.',
    });
    const { User } = await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'Eve@Example.com', MessageAction: 'SUPPRESS' }));
    const sub = attr(User!.Attributes, 'sub');
    expect(User!.Username).toBe(sub);
    expect(attr(User!.Attributes, 'email')).toBe('Eve@Example.com');
    const byEmail = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'eve@example.com' }));
    expect(byEmail.Username).toBe(sub);
    expect(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'eve@example.com', MessageAction: 'SUPPRESS' })))).toEqual({
      name: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
    const phonePool = await createPool({ UsernameAttributes: ['phone_number'] });
    expect(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: phonePool, Username: 'eve@example.com', MessageAction: 'SUPPRESS' })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Username should be a phone number.',
    });
  });

  it('AliasAttributes pools refuse email-shaped usernames and keep verified aliases unique', async () => {
    const pool = await createPool({ AliasAttributes: ['email'] });
    expect(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'a@b.example', MessageAction: 'SUPPRESS' })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Username cannot be of email format, since user pool is configured for email alias.',
    });
    const verified = (email: string) => [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: 'true' },
    ];
    await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'first', MessageAction: 'SUPPRESS', UserAttributes: verified('shared@example.com') }));
    expect(
      await failure(
        admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'second', MessageAction: 'SUPPRESS', UserAttributes: verified('shared@example.com') })),
      ),
    ).toEqual({ name: 'AliasExistsException', message: 'An account with the email already exists.' });
    // An unverified copy is no alias, so it does not conflict.
    await admin.send(
      new AdminCreateUserCommand({ UserPoolId: pool, Username: 'third', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'shared@example.com' }] }),
    );
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: 'second',
        MessageAction: 'SUPPRESS',
        ForceAliasCreation: true,
        UserAttributes: verified('shared@example.com'),
      }),
    );
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'shared@example.com' }))).Username).toBe('second');
    const first = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'first' }));
    expect(attr(first.UserAttributes, 'email_verified')).toBe('false');
  });
});

describe('AdminUpdateUserAttributes / AdminDeleteUserAttributes', () => {
  it('unverifies a changed email unless the call verifies it, and mails a code when the pool auto-verifies', async () => {
    const pool = await createPool({ AutoVerifiedAttributes: ['email'], Schema: [{ Name: 'plan', AttributeDataType: 'String' }] });
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: 'upd',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'old@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    await admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: pool,
        Username: 'upd',
        UserAttributes: [{ Name: 'email', Value: 'new@example.com' }, { Name: 'custom:plan', Value: 'gold' }],
      }),
    );
    let got = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'upd' }));
    expect(attr(got.UserAttributes, 'email')).toBe('new@example.com');
    expect(attr(got.UserAttributes, 'email_verified')).toBe('false');
    expect(attr(got.UserAttributes, 'custom:plan')).toBe('gold');
    const mails = await outboxTo('new@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body_text).toMatch(/Your verification code is \d{6}\./);

    await admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: pool,
        Username: 'upd',
        UserAttributes: [{ Name: 'email', Value: 'newer@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    got = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'upd' }));
    expect(attr(got.UserAttributes, 'email_verified')).toBe('true');
    expect(await outboxTo('newer@example.com')).toHaveLength(0);

    expect(
      await failure(admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: 'upd', UserAttributes: [{ Name: 'email', Value: 'not-an-email' }] }))),
    ).toEqual({ name: 'InvalidParameterException', message: 'Invalid email address format.' });
    expect(
      await failure(admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: 'nobody', UserAttributes: [{ Name: 'name', Value: 'x' }] }))),
    ).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('keeps the old email until the new one is verified when the pool asks for it', async () => {
    const pool = await createPool({
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: 'careful',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'keep@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    await admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: 'careful', UserAttributes: [{ Name: 'email', Value: 'pending@example.com' }] }));
    const got = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'careful' }));
    expect(attr(got.UserAttributes, 'email')).toBe('keep@example.com');
    expect(attr(got.UserAttributes, 'email_verified')).toBe('true');
    expect(await outboxTo('pending@example.com')).toHaveLength(1);
  });

  it('refuses to give a UsernameAttributes email to a second user', async () => {
    const pool = await createPool({ UsernameAttributes: ['email'] });
    await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'one@example.com', MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'two@example.com', MessageAction: 'SUPPRESS' }));
    expect(
      await failure(
        admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: 'two@example.com', UserAttributes: [{ Name: 'email', Value: 'one@example.com' }] })),
      ),
    ).toEqual({ name: 'AliasExistsException', message: 'An account with the given email already exists.' });
  });

  it('deletes attributes, never required or immutable ones', async () => {
    const pool = await createPool({ Schema: [{ Name: 'family_name', Required: true }] });
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: 'del',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'family_name', Value: 'Doe' },
          { Name: 'email', Value: 'del@example.com' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'nickname', Value: 'dd' },
        ],
      }),
    );
    await admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: pool, Username: 'del', UserAttributeNames: ['email', 'nickname'] }));
    const got = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'del' }));
    expect(got.UserAttributes!.map((a) => a.Name).sort()).toEqual(['family_name', 'sub']);
    expect(await failure(admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: pool, Username: 'del', UserAttributeNames: ['family_name'] })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: family_name: The attribute family_name is required',
    });
    expect(await failure(admin.send(new AdminDeleteUserAttributesCommand({ UserPoolId: pool, Username: 'del', UserAttributeNames: ['sub'] })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Cannot modify the non-mutable attribute sub',
    });
  });
});

describe('account state', () => {
  it('disables and enables a user', async () => {
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'toggle', MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'toggle' }));
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'toggle' }))).Enabled).toBe(false);
    await admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'toggle' }));
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'toggle' }))).Enabled).toBe(true);
    expect((await failure(admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'nobody' })))).name).toBe('UserNotFoundException');
  });

  it('deletes a user', async () => {
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'gone', MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'gone' }));
    expect(await failure(admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'gone' })))).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    expect((await failure(admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'gone' })))).name).toBe('UserNotFoundException');
  });

  it('confirms a signed-up user once', async () => {
    const pool = await createPool();
    const clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'web' }))).UserPoolClient!.ClientId!;
    await t.publicClient().send(new SignUpCommand({ ClientId: clientId, Username: 'signup', Password: 'Passw0rd!x' }));
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'signup' }))).UserStatus).toBe('UNCONFIRMED');
    await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: 'signup' }));
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'signup' }))).UserStatus).toBe('CONFIRMED');
    expect(await failure(admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: 'signup' })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });

  it('resets a password through a verified channel', async () => {
    await admin.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'noverified', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'nv@example.com' }] }),
    );
    expect(await failure(admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'noverified' })))).toEqual({
      name: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'resetme',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'resetme@example.com' }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'resetme', Password: 'Perm-Passw0rd!', Permanent: true }));
    await admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'resetme' }));
    expect((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'resetme' }))).UserStatus).toBe('RESET_REQUIRED');
    const mails = await outboxTo('resetme@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body_text).toMatch(/\d{6}/);
    const code = await t.db.selectFrom('codes').select(['purpose', 'expires_at', 'created_at']).where('pool_id', '=', poolId).where('purpose', '=', 'forgot').execute();
    expect(code).toHaveLength(1);
    expect(Number(code[0]!.expires_at) - Number(code[0]!.created_at)).toBe(3600_000);
  });

  it('signs a user out everywhere (unknown users are refused)', async () => {
    await admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'alice' }));
    expect(await failure(admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'nobody' })))).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });

  it('refuses unsigned and stale admin calls', async () => {
    expect(await failure(t.publicClient().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' })))).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const stale = t.adminClient({ systemClockOffset: -15 * 60_000 });
    expect((await failure(stale.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'late' })))).name).toBe('InvalidSignatureException');
  });
});
