import type {
  CreateUserPoolRequest,
  PasswordPolicyType,
  SchemaAttributeType,
  UpdateUserPoolRequest,
  UserPoolPolicyType,
  VerificationMessageTemplateType,
} from '@aws-sdk/client-cognito-identity-provider';
import { defaultSchema, STANDARD_ATTRIBUTES } from './attributes';
import { errors } from './errors';
import type { PoolConfig } from './pools';

/**
 * A pool's stored configuration is the UserPoolType document Describe returns, so Cognito's defaults are
 * filled in here once, at Create (and again for every updatable setting an Update leaves out: Cognito
 * resets unspecified settings of UpdateUserPool to their defaults).
 */
export const MAX_CUSTOM_ATTRIBUTES = 50;

export function passwordPolicyWithDefaults(p: PasswordPolicyType | undefined): PasswordPolicyType {
  // No policy at all gets Cognito's strict default; a given policy keeps its booleans (unset = false).
  if (!p) {
    return { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7 };
  }
  return {
    MinimumLength: p.MinimumLength ?? 8,
    RequireUppercase: p.RequireUppercase ?? false,
    RequireLowercase: p.RequireLowercase ?? false,
    RequireNumbers: p.RequireNumbers ?? false,
    RequireSymbols: p.RequireSymbols ?? false,
    ...(p.PasswordHistorySize !== undefined ? { PasswordHistorySize: p.PasswordHistorySize } : {}),
    TemporaryPasswordValidityDays: p.TemporaryPasswordValidityDays || 7,
  };
}

function policiesWithDefaults(p: UserPoolPolicyType | undefined): UserPoolPolicyType {
  return {
    PasswordPolicy: passwordPolicyWithDefaults(p?.PasswordPolicy),
    SignInPolicy: p?.SignInPolicy ?? { AllowedFirstAuthFactors: ['PASSWORD'] },
  };
}

const STANDARD_NAMES = new Set(STANDARD_ATTRIBUTES.map((a) => a.name));

/** The full schema: Cognito's standard attributes, with the request's Required/Mutable/constraints, then custom ones. */
export function mergeSchema(requested: SchemaAttributeType[] | undefined): SchemaAttributeType[] {
  const schema = defaultSchema();
  const seen = new Set<string>();
  const custom: SchemaAttributeType[] = [];
  for (const attr of requested ?? []) {
    const raw = attr.Name ?? '';
    if (seen.has(raw)) throw errors.invalidParameter(`Duplicate attribute names are not allowed: ${raw}`);
    seen.add(raw);
    if (STANDARD_NAMES.has(raw)) {
      if (raw === 'sub') throw errors.invalidParameter('The attribute sub cannot be changed.');
      const entry = schema.find((s) => s.Name === raw)!;
      if (attr.AttributeDataType && attr.AttributeDataType !== entry.AttributeDataType) {
        throw errors.invalidParameter(`Invalid AttributeDataType input for ${raw}: it is a ${entry.AttributeDataType} attribute.`);
      }
      if (attr.Required !== undefined) entry.Required = attr.Required;
      if (attr.Mutable !== undefined) entry.Mutable = attr.Mutable;
      if (attr.StringAttributeConstraints && entry.AttributeDataType === 'String') {
        entry.StringAttributeConstraints = { ...entry.StringAttributeConstraints, ...attr.StringAttributeConstraints };
      }
      if (attr.NumberAttributeConstraints && entry.AttributeDataType === 'Number') {
        entry.NumberAttributeConstraints = { ...entry.NumberAttributeConstraints, ...attr.NumberAttributeConstraints };
      }
      continue;
    }
    if (attr.Required) throw errors.invalidParameter('Required custom attributes are not supported currently.');
    custom.push(customAttribute(attr));
  }
  if (custom.length > MAX_CUSTOM_ATTRIBUTES) {
    throw errors.invalidParameter(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  }
  return [...schema, ...custom];
}

/** A custom attribute as Cognito lists it: `custom:<name>`, never required, String unless told otherwise. */
export function customAttribute(attr: SchemaAttributeType): SchemaAttributeType {
  const bare = (attr.Name ?? '').replace(/^(dev:)?custom:/, '');
  const type = attr.AttributeDataType ?? 'String';
  return {
    Name: `custom:${bare}`,
    AttributeDataType: type,
    DeveloperOnlyAttribute: attr.DeveloperOnlyAttribute ?? false,
    Mutable: attr.Mutable ?? true,
    Required: false,
    ...(type === 'String' ? { StringAttributeConstraints: attr.StringAttributeConstraints ?? {} } : {}),
    ...(type === 'Number' ? { NumberAttributeConstraints: attr.NumberAttributeConstraints ?? {} } : {}),
  };
}

/** Top-level verification messages and the VerificationMessageTemplate mirror each other, as in Cognito. */
function verificationTemplate(r: UpdateUserPoolRequest): {
  VerificationMessageTemplate: VerificationMessageTemplateType;
  EmailVerificationMessage?: string;
  EmailVerificationSubject?: string;
  SmsVerificationMessage?: string;
} {
  const t: VerificationMessageTemplateType = { ...(r.VerificationMessageTemplate ?? {}) };
  t.DefaultEmailOption ??= 'CONFIRM_WITH_CODE';
  t.EmailMessage ??= r.EmailVerificationMessage;
  t.EmailSubject ??= r.EmailVerificationSubject;
  t.SmsMessage ??= r.SmsVerificationMessage;
  const out: ReturnType<typeof verificationTemplate> = {
    VerificationMessageTemplate: Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)),
  };
  const email = r.EmailVerificationMessage ?? t.EmailMessage;
  const subject = r.EmailVerificationSubject ?? t.EmailSubject;
  const sms = r.SmsVerificationMessage ?? t.SmsMessage;
  if (email !== undefined) out.EmailVerificationMessage = email;
  if (subject !== undefined) out.EmailVerificationSubject = subject;
  if (sms !== undefined) out.SmsVerificationMessage = sms;
  return out;
}

/** The settings UpdateUserPool can change; each one left out of an update goes back to its default. */
function updatableSettings(r: UpdateUserPoolRequest): PoolConfig {
  const autoVerified = r.AutoVerifiedAttributes ?? [];
  const requireVerification = r.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  for (const a of requireVerification) {
    if (!autoVerified.includes(a)) {
      throw errors.invalidParameter(
        'The attributes in AttributesRequireVerificationBeforeUpdate must also be in AutoVerifiedAttributes.',
      );
    }
  }
  const config: PoolConfig = {
    Policies: policiesWithDefaults(r.Policies),
    DeletionProtection: r.DeletionProtection ?? 'INACTIVE',
    LambdaConfig: r.LambdaConfig ?? {},
    AutoVerifiedAttributes: autoVerified,
    ...verificationTemplate(r),
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: requireVerification },
    MfaConfiguration: r.MfaConfiguration ?? 'OFF',
    EmailConfiguration: r.EmailConfiguration ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: r.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false,
      UnusedAccountValidityDays: r.AdminCreateUserConfig?.UnusedAccountValidityDays ?? 7,
      ...(r.AdminCreateUserConfig?.InviteMessageTemplate ? { InviteMessageTemplate: r.AdminCreateUserConfig.InviteMessageTemplate } : {}),
    },
    // Without a setting Cognito uses its legacy order: a verified phone first, then a verified email.
    AccountRecoverySetting: r.AccountRecoverySetting ?? {
      RecoveryMechanisms: [
        { Priority: 1, Name: 'verified_phone_number' },
        { Priority: 2, Name: 'verified_email' },
      ],
    },
  };
  if (r.DeviceConfiguration) config.DeviceConfiguration = r.DeviceConfiguration;
  if (r.SmsConfiguration) config.SmsConfiguration = r.SmsConfiguration;
  if (r.SmsAuthenticationMessage !== undefined) config.SmsAuthenticationMessage = r.SmsAuthenticationMessage;
  if (r.UserPoolAddOns) config.UserPoolAddOns = r.UserPoolAddOns;
  if (r.IssuerConfiguration) config.IssuerConfiguration = r.IssuerConfiguration;
  if (r.KeyConfiguration) config.KeyConfiguration = r.KeyConfiguration;
  checkRecovery(config);
  return config;
}

function checkRecovery(config: PoolConfig): void {
  const mechanisms = config.AccountRecoverySetting?.RecoveryMechanisms ?? [];
  const names = mechanisms.map((m) => m.Name);
  const priorities = mechanisms.map((m) => m.Priority);
  if (new Set(names).size !== names.length || new Set(priorities).size !== priorities.length) {
    throw errors.invalidParameter('AccountRecoverySetting must not repeat a recovery mechanism or a priority.');
  }
  if (names.includes('admin_only') && names.length > 1) {
    throw errors.invalidParameter('admin_only cannot be combined with other recovery mechanisms.');
  }
}

/** The configuration a new pool stores. */
export function createPoolConfig(r: CreateUserPoolRequest): PoolConfig {
  if (r.UsernameAttributes?.length && r.AliasAttributes?.length) {
    throw errors.invalidParameter('Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.');
  }
  const config: PoolConfig = {
    ...updatableSettings({ ...r, UserPoolId: '' }),
    SchemaAttributes: mergeSchema(r.Schema),
    UserPoolTier: r.UserPoolTier ?? 'ESSENTIALS',
  };
  if (r.UsernameAttributes?.length) config.UsernameAttributes = [...new Set(r.UsernameAttributes)];
  if (r.AliasAttributes?.length) config.AliasAttributes = [...new Set(r.AliasAttributes)];
  if (r.UsernameConfiguration) config.UsernameConfiguration = r.UsernameConfiguration;
  if (r.UserPoolTags) config.UserPoolTags = r.UserPoolTags;
  return config;
}

/**
 * UpdateUserPool: the updatable settings are replaced wholesale (unspecified → default, as Cognito warns);
 * settings fixed at creation (schema, sign-in identifiers, case sensitivity) and ones the request has no
 * say over (tier and tags when not given, MFA factor settings kept by SetUserPoolMfaConfig) are kept.
 */
export function updatePoolConfig(existing: PoolConfig, r: UpdateUserPoolRequest): PoolConfig {
  const keep: PoolConfig = { ...existing };
  const reset: Array<keyof PoolConfig> = [
    'DeviceConfiguration',
    'SmsConfiguration',
    'SmsAuthenticationMessage',
    'UserPoolAddOns',
    'IssuerConfiguration',
    'KeyConfiguration',
    'EmailVerificationMessage',
    'EmailVerificationSubject',
    'SmsVerificationMessage',
  ];
  for (const k of reset) delete keep[k];
  return {
    ...keep,
    ...updatableSettings(r),
    UserPoolTier: r.UserPoolTier ?? existing.UserPoolTier ?? 'ESSENTIALS',
    ...(r.UserPoolTags ? { UserPoolTags: r.UserPoolTags } : {}),
  };
}
