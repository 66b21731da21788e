import { describe, expect, it } from 'vitest';
import { createPoolConfig, mergeSchema, passwordPolicyWithDefaults, updatePoolConfig } from '../../lib/userpool/pool-defaults';
import { CognitoError } from '../../lib/userpool/errors';

function thrown(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (e) {
    const err = e as CognitoError;
    return { type: err.type, message: err.message };
  }
  throw new Error('expected an error');
}

describe('passwordPolicyWithDefaults', () => {
  it("uses Cognito's strict default when no policy is given", () => {
    expect(passwordPolicyWithDefaults(undefined)).toEqual({
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
  });
  it('treats unset booleans of a given policy as false and 0 validity days as 7', () => {
    expect(passwordPolicyWithDefaults({ MinimumLength: 12, RequireSymbols: true, TemporaryPasswordValidityDays: 0 })).toEqual({
      MinimumLength: 12,
      RequireUppercase: false,
      RequireLowercase: false,
      RequireNumbers: false,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
  });
});

describe('mergeSchema', () => {
  it('keeps the standard attributes and appends custom ones with the custom: prefix', () => {
    const schema = mergeSchema([
      { Name: 'given_name', Required: true },
      { Name: 'custom:plan', AttributeDataType: 'String' },
      { Name: 'flag', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: true },
    ]);
    expect(schema.find((s) => s.Name === 'given_name')?.Required).toBe(true);
    expect(schema.find((s) => s.Name === 'email')?.Required).toBe(false);
    expect(schema.find((s) => s.Name === 'custom:plan')).toMatchObject({ AttributeDataType: 'String', Required: false, Mutable: true });
    expect(schema.find((s) => s.Name === 'custom:flag')).toMatchObject({ AttributeDataType: 'Boolean', DeveloperOnlyAttribute: true });
    expect(schema.filter((s) => s.Name === 'sub')).toHaveLength(1);
  });

  it('refuses required custom attributes, a changed sub, a wrong type and duplicates', () => {
    expect(thrown(() => mergeSchema([{ Name: 'plan', Required: true }]))).toEqual({
      type: 'InvalidParameterException',
      message: 'Required custom attributes are not supported currently.',
    });
    expect(thrown(() => mergeSchema([{ Name: 'sub', Required: false }])).type).toBe('InvalidParameterException');
    expect(thrown(() => mergeSchema([{ Name: 'email', AttributeDataType: 'Number' }])).type).toBe('InvalidParameterException');
    expect(thrown(() => mergeSchema([{ Name: 'x' }, { Name: 'x' }])).type).toBe('InvalidParameterException');
  });
});

describe('updatePoolConfig', () => {
  const created = createPoolConfig({
    PoolName: 'p',
    UsernameAttributes: ['email'],
    MfaConfiguration: 'OPTIONAL',
    AutoVerifiedAttributes: ['email'],
    Policies: { PasswordPolicy: { MinimumLength: 12 } },
    LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
    DeletionProtection: 'ACTIVE',
    UserPoolTier: 'PLUS',
    Schema: [{ Name: 'plan', AttributeDataType: 'String' }],
  });

  it('resets the updatable settings an update leaves out to their defaults', () => {
    const updated = updatePoolConfig(created, { UserPoolId: 'x', MfaConfiguration: 'OFF' });
    expect(updated.Policies?.PasswordPolicy?.MinimumLength).toBe(8);
    expect(updated.Policies?.PasswordPolicy?.RequireSymbols).toBe(true);
    expect(updated.LambdaConfig).toEqual({});
    expect(updated.AutoVerifiedAttributes).toEqual([]);
    expect(updated.DeletionProtection).toBe('INACTIVE');
  });

  it('keeps the settings fixed at creation and the tier', () => {
    const updated = updatePoolConfig(created, { UserPoolId: 'x' });
    expect(updated.UsernameAttributes).toEqual(['email']);
    expect(updated.SchemaAttributes).toEqual(created.SchemaAttributes);
    expect(updated.UserPoolTier).toBe('PLUS');
  });

  it('keeps settings kept beside the document by other operations (MFA factors)', () => {
    const withFactors = { ...created, SoftwareTokenMfaConfiguration: { Enabled: true } } as typeof created;
    const updated = updatePoolConfig(withFactors, { UserPoolId: 'x', MfaConfiguration: 'OPTIONAL' }) as Record<string, unknown>;
    expect(updated['SoftwareTokenMfaConfiguration']).toEqual({ Enabled: true });
  });

  it('mirrors top-level verification messages into the template', () => {
    const updated = updatePoolConfig(created, { UserPoolId: 'x', EmailVerificationMessage: 'Code: {####}', EmailVerificationSubject: 'Hi' });
    expect(updated.VerificationMessageTemplate).toEqual({ DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailMessage: 'Code: {####}', EmailSubject: 'Hi' });
    expect(updated.EmailVerificationMessage).toBe('Code: {####}');
  });
});
