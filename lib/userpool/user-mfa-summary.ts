import type { GetUserResponse, MFAOptionType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from './users';

/**
 * How GetUser/AdminGetUser describe a user's MFA: the factors turned on, the preferred one, and the
 * legacy MFAOptions entry that older clients read for SMS.
 */
export type MfaSummary = Pick<GetUserResponse, 'MFAOptions' | 'PreferredMfaSetting' | 'UserMFASettingList'>;

export function mfaSummary(user: UserRecord): MfaSummary {
  const list: string[] = [];
  if (user.mfa.sms) list.push('SMS_MFA');
  if (user.mfa.totp) list.push('SOFTWARE_TOKEN_MFA');
  if (user.mfa.email) list.push('EMAIL_OTP');
  const smsOption: MFAOptionType = { DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  return {
    ...(user.mfa.sms ? { MFAOptions: [smsOption] } : {}),
    ...(user.mfa.preferred ? { PreferredMfaSetting: user.mfa.preferred } : {}),
    ...(list.length > 0 ? { UserMFASettingList: list } : {}),
  };
}
