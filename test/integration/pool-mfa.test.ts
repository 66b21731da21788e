import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';

let t: TestPool;
beforeAll(async () => {
  t = await startTestPool();
});
afterAll(async () => {
  await t.close();
});

describe('SetUserPoolMfaConfig / GetUserPoolMfaConfig', () => {
  it('stores the factor settings, keeps what a later call leaves out, and keeps them out of DescribeUserPool', async () => {
    const admin = t.adminClient();
    const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'mfa' }));
    const UserPoolId = UserPool!.Id!;
    expect(await admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId }))).toMatchObject({ MfaConfiguration: 'OFF' });
    const set = await admin.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        EmailMfaConfiguration: { Message: 'Code {####}', Subject: 'Your code' },
      }),
    );
    expect(set.MfaConfiguration).toBe('OPTIONAL');
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId, MfaConfiguration: 'ON' }));
    const got = await admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
    expect(got.MfaConfiguration).toBe('ON');
    expect(got.SoftwareTokenMfaConfiguration).toEqual({ Enabled: true });
    expect(got.EmailMfaConfiguration).toEqual({ Message: 'Code {####}', Subject: 'Your code' });
    const described = await admin.send(new DescribeUserPoolCommand({ UserPoolId }));
    expect(described.UserPool?.MfaConfiguration).toBe('ON');
    expect(Object.keys(described.UserPool ?? {})).not.toContain('EmailMfaConfiguration');
  });

  it('refuses MFA ON with every factor off', async () => {
    const admin = t.adminClient();
    const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'mfa-off' }));
    const e = await admin
      .send(new SetUserPoolMfaConfigCommand({ UserPoolId: UserPool!.Id!, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: false } }))
      .catch((err: Error) => err);
    expect((e as Error).name).toBe('InvalidParameterException');
  });

  it('names an unknown pool', async () => {
    const e = await t.adminClient().send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_nope12345' })).catch((err: Error) => err);
    expect((e as Error).name).toBe('ResourceNotFoundException');
    expect((e as Error).message).toBe('User pool us-east-1_nope12345 does not exist.');
  });
});
