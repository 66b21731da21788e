import type { PoolRecord } from './pools';

/**
 * Where self-service codes go (sign-up confirmation, password reset) and when a sign-up may skip the
 * password. Pure functions of the pool configuration and the user's attributes.
 */
export type ContactAttribute = 'email' | 'phone_number';

/**
 * Where the sign-up confirmation code goes: an auto-verified attribute the user has. With both email and
 * phone auto-verified Cognito sends only the SMS (and verifies only the phone), so the phone comes first.
 */
export function confirmationChannel(pool: PoolRecord, attributes: Record<string, string>): ContactAttribute | undefined {
  const auto = pool.config.AutoVerifiedAttributes ?? [];
  if (auto.includes('phone_number') && attributes['phone_number']) return 'phone_number';
  if (auto.includes('email') && attributes['email']) return 'email';
  return undefined;
}

/**
 * Where a password-reset code goes: the first recovery mechanism (by priority) whose attribute the user
 * has verified. 'admin_only' pools, or users without a verified channel, get none.
 */
export function recoveryChannel(pool: PoolRecord, attributes: Record<string, string>): ContactAttribute | undefined {
  const mechanisms = [...(pool.config.AccountRecoverySetting?.RecoveryMechanisms ?? [])].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));
  // No setting at all is Cognito's legacy order: a verified phone first, then a verified email.
  const names = mechanisms.length > 0 ? mechanisms.map((m) => m.Name) : ['verified_phone_number', 'verified_email'];
  if (names.includes('admin_only')) return undefined;
  for (const name of names) {
    const attr: ContactAttribute | undefined = name === 'verified_email' ? 'email' : name === 'verified_phone_number' ? 'phone_number' : undefined;
    if (attr && attributes[attr] && attributes[`${attr}_verified`] === 'true') return attr;
  }
  return undefined;
}

/** Password-less sign-up is allowed only when the pool lets people sign in with a one-time code. */
export function passwordOptional(pool: PoolRecord, attributes: Record<string, string>): boolean {
  const factors = pool.config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? [];
  const auto = pool.config.AutoVerifiedAttributes ?? [];
  return (
    (factors.includes('EMAIL_OTP') && auto.includes('email') && !!attributes['email']) ||
    (factors.includes('SMS_OTP') && auto.includes('phone_number') && !!attributes['phone_number'])
  );
}
