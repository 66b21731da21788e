import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { failure } from '../helpers/failure';

let t: TestPool;
let admin: CognitoIdentityProviderClient;

beforeAll(async () => {
  t = await startTestPool();
  admin = t.adminClient();
});
afterAll(async () => {
  await t.close();
});

describe('CreateUserPool / DescribeUserPool', () => {
  it('creates a pool with Cognito defaults filled in', async () => {
    const created = await admin.send(new CreateUserPoolCommand({ PoolName: 'defaults' }));
    const pool = created.UserPool!;
    expect(pool.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(pool.Name).toBe('defaults');
    expect(pool.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
    expect(pool.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    expect(pool.MfaConfiguration).toBe('OFF');
    expect(pool.UserPoolTier).toBe('ESSENTIALS');
    expect(pool.DeletionProtection).toBe('INACTIVE');
    expect(pool.EstimatedNumberOfUsers).toBe(0);
    expect(pool.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 });
    expect(pool.VerificationMessageTemplate?.DefaultEmailOption).toBe('CONFIRM_WITH_CODE');
    expect(pool.CreationDate).toBeInstanceOf(Date);
    const names = pool.SchemaAttributes!.map((s) => s.Name);
    expect(names).toEqual(expect.arrayContaining(['sub', 'email', 'email_verified', 'phone_number', 'updated_at', 'address']));
    expect(pool.SchemaAttributes!.find((s) => s.Name === 'sub')).toMatchObject({ Required: true, Mutable: false });
    expect(pool.UsernameAttributes).toBeUndefined();

    const described = await admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    expect(described.UserPool).toEqual(pool);
  });

  it('merges the requested schema: required standard attributes and custom: attributes', async () => {
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({
        PoolName: 'schema',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true } },
        Schema: [
          { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
          { Name: 'tenant', AttributeDataType: 'String', Mutable: false, StringAttributeConstraints: { MinLength: '1', MaxLength: '32' } },
          { Name: 'level', AttributeDataType: 'Number' },
        ],
      }),
    );
    expect(UserPool!.UsernameAttributes).toEqual(['email']);
    expect(UserPool!.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(UserPool!.AutoVerifiedAttributes).toEqual(['email']);
    expect(UserPool!.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 10,
      RequireUppercase: false,
      RequireLowercase: false,
      RequireNumbers: true,
      RequireSymbols: false,
      TemporaryPasswordValidityDays: 7,
    });
    const schema = UserPool!.SchemaAttributes!;
    expect(schema.find((s) => s.Name === 'email')).toMatchObject({ Required: true, Mutable: true });
    expect(schema.find((s) => s.Name === 'custom:tenant')).toEqual({
      Name: 'custom:tenant',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: false,
      StringAttributeConstraints: { MinLength: '1', MaxLength: '32' },
    });
    expect(schema.find((s) => s.Name === 'custom:level')).toMatchObject({ AttributeDataType: 'Number', Required: false });
  });

  it('refuses a required custom attribute and mixing username and alias attributes', async () => {
    expect(
      await failure(admin.send(new CreateUserPoolCommand({ PoolName: 'bad', Schema: [{ Name: 'x', AttributeDataType: 'String', Required: true }] }))),
    ).toEqual({ name: 'InvalidParameterException', message: 'Required custom attributes are not supported currently.' });
    expect(
      await failure(admin.send(new CreateUserPoolCommand({ PoolName: 'bad', UsernameAttributes: ['email'], AliasAttributes: ['preferred_username'] }))),
    ).toEqual({ name: 'InvalidParameterException', message: 'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.' });
  });

  it('rejects model violations before the handler runs', async () => {
    const e = await failure(admin.send(new CreateUserPoolCommand({ PoolName: 'bad', Policies: { PasswordPolicy: { MinimumLength: 5 } } })));
    expect(e.name).toBe('InvalidParameterException');
    expect(e.message).toBe(
      "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
    );
  });

  it('answers an unknown pool with ResourceNotFoundException', async () => {
    expect(await failure(admin.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_nothere00' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nothere00 does not exist.',
    });
  });
});

describe('UpdateUserPool', () => {
  it("resets the updatable settings it isn't given to Cognito's defaults and keeps the fixed ones", async () => {
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({
        PoolName: 'upd',
        AliasAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Policies: { PasswordPolicy: { MinimumLength: 14, RequireSymbols: true } },
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:pre' },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Schema: [{ Name: 'plan', AttributeDataType: 'String' }],
      }),
    );
    const id = UserPool!.Id!;
    await admin.send(new UpdateUserPoolCommand({ UserPoolId: id, MfaConfiguration: 'OFF', UserAttributeUpdateSettings: {} }));
    const after = (await admin.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
    expect(after.Policies?.PasswordPolicy?.MinimumLength).toBe(8);
    expect(after.LambdaConfig).toEqual({});
    expect(after.AutoVerifiedAttributes).toEqual([]);
    expect(after.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(false);
    expect(after.AliasAttributes).toEqual(['email']);
    expect(after.SchemaAttributes!.some((s) => s.Name === 'custom:plan')).toBe(true);
    expect(after.Name).toBe('upd');
    expect(after.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(UserPool!.LastModifiedDate!.getTime());

    await admin.send(new UpdateUserPoolCommand({ UserPoolId: id, PoolName: 'renamed', AutoVerifiedAttributes: ['email'], DeletionProtection: 'ACTIVE' }));
    const renamed = (await admin.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
    expect(renamed).toMatchObject({ Name: 'renamed', AutoVerifiedAttributes: ['email'], DeletionProtection: 'ACTIVE' });
  });

  it('answers an unknown pool', async () => {
    expect(await failure(admin.send(new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_nothere00' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nothere00 does not exist.',
    });
  });
});

describe('ListUserPools', () => {
  it('pages through every pool with NextToken', async () => {
    const made: string[] = [];
    for (const name of ['list-a', 'list-b', 'list-c']) {
      made.push((await admin.send(new CreateUserPoolCommand({ PoolName: name }))).UserPool!.Id!);
    }
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await admin.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: next }));
      expect(page.UserPools!.length).toBeLessThanOrEqual(2);
      for (const p of page.UserPools!) {
        expect(p.CreationDate).toBeInstanceOf(Date);
        seen.push(p.Id!);
      }
      next = page.NextToken;
      pages++;
    } while (next);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(made));
  });

  it('requires MaxResults between 1 and 60', async () => {
    const e = await failure(admin.send(new ListUserPoolsCommand({ MaxResults: 61 })));
    expect(e.name).toBe('InvalidParameterException');
  });
});

describe('DeleteUserPool', () => {
  it('deletes the pool and everything in it', async () => {
    const id = (await admin.send(new CreateUserPoolCommand({ PoolName: 'doomed' }))).UserPool!.Id!;
    const clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'c' }))).UserPoolClient!.ClientId!;
    await admin.send(new AdminCreateUserCommand({ UserPoolId: id, Username: 'u1', MessageAction: 'SUPPRESS' }));
    await admin.send(new CreateGroupCommand({ UserPoolId: id, GroupName: 'g' }));
    await admin.send(new CreateResourceServerCommand({ UserPoolId: id, Identifier: 'api', Name: 'api' }));
    expect((await admin.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.EstimatedNumberOfUsers).toBe(1);

    await admin.send(new DeleteUserPoolCommand({ UserPoolId: id }));
    expect((await failure(admin.send(new DescribeUserPoolCommand({ UserPoolId: id })))).name).toBe('ResourceNotFoundException');
    expect((await failure(admin.send(new DescribeUserPoolClientCommand({ UserPoolId: id, ClientId: clientId })))).name).toBe(
      'ResourceNotFoundException',
    );
    for (const table of ['users', 'clients', 'groups', 'resource_servers'] as const) {
      const rows = await t.db.selectFrom(table).select('pool_id').where('pool_id', '=', id).execute();
      expect(rows, table).toHaveLength(0);
    }
  });

  it('refuses while deletion protection is active', async () => {
    const id = (await admin.send(new CreateUserPoolCommand({ PoolName: 'kept', DeletionProtection: 'ACTIVE' }))).UserPool!.Id!;
    expect(await failure(admin.send(new DeleteUserPoolCommand({ UserPoolId: id })))).toEqual({
      name: 'InvalidParameterException',
      message: 'The user pool cannot be deleted because deletion protection is activated.',
    });
    expect((await admin.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.Id).toBe(id);
  });

  it('answers an unknown pool', async () => {
    expect((await failure(admin.send(new DeleteUserPoolCommand({ UserPoolId: 'us-east-1_nothere00' })))).name).toBe('ResourceNotFoundException');
  });
});

describe('admin signature', () => {
  it('refuses a call signed with credentials that are not the admin ones', async () => {
    const e = await failure(t.publicClient().send(new CreateUserPoolCommand({ PoolName: 'nope' })));
    expect(e).toEqual({ name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
  });

  it('refuses a stale signature', async () => {
    const stale = t.adminClient({ systemClockOffset: -15 * 60_000 });
    const e = await failure(stale.send(new ListUserPoolsCommand({ MaxResults: 10 })));
    expect(e.name).toBe('InvalidSignatureException');
    expect(e.message).toMatch(/Signature expired/);
  });
});
