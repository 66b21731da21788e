import type { GetUserCommandOutput, SetUserMFAPreferenceCommandInput, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { ContactAttribute } from './state';

/**
 * The account page's rules that depend on the pool's settings and the user's factors.
 */
export type MfaFactor = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP';
const FACTORS: readonly MfaFactor[] = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'];

type User = Pick<GetUserCommandOutput, 'UserAttributes' | 'UserMFASettingList' | 'PreferredMfaSetting'>;

export function enabledFactors(user: User): MfaFactor[] {
  const list = user.UserMFASettingList ?? [];
  return FACTORS.filter((f) => list.includes(f));
}

export function mfaSettingsKey(factor: MfaFactor): keyof Pick<SetUserMFAPreferenceCommandInput, 'SoftwareTokenMfaSettings' | 'SMSMfaSettings' | 'EmailMfaSettings'> {
  return factor === 'SOFTWARE_TOKEN_MFA' ? 'SoftwareTokenMfaSettings' : factor === 'SMS_MFA' ? 'SMSMfaSettings' : 'EmailMfaSettings';
}

/** With MFA required by the pool, the authenticator may go only if another factor stays. */
export function totpRemovalAllowed(pool: Pick<UserPoolType, 'MfaConfiguration'> | undefined, user: User): boolean {
  if (pool?.MfaConfiguration !== 'ON') return true;
  return enabledFactors(user).some((f) => f !== 'SOFTWARE_TOKEN_MFA');
}

export function attributesOf(user: User): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of user.UserAttributes ?? []) if (a.Name && a.Value !== undefined) out[a.Name] = a.Value;
  return out;
}

/** Whether the pool keeps the old value of `attr` until a new one is verified. */
export function keepsOldValue(pool: Pick<UserPoolType, 'UserAttributeUpdateSettings'> | undefined, attr: ContactAttribute): boolean {
  return (pool?.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []).includes(attr);
}

/**
 * Whether the page offers a new email or phone. A new value must not replace a verified one before
 * its code is entered (issue 4); Cognito does that only for pools with
 * AttributesRequireVerificationBeforeUpdate. Without it a change would drop a verified address (its
 * sign-in alias, its password recovery) on the strength of a typo, so the page offers the change only
 * when nothing verified is at stake: no current value, or an unverified one.
 */
export function contactChangeAllowed(pool: Pick<UserPoolType, 'UserAttributeUpdateSettings'> | undefined, user: User, attr: ContactAttribute): boolean {
  if (keepsOldValue(pool, attr)) return true;
  const attrs = attributesOf(user);
  return !attrs[attr] || attrs[`${attr}_verified`] !== 'true';
}
