/**
 * Which user attributes a set of OAuth scopes releases (reference §1.3): `openid` alone releases every
 * attribute the client may read; `email`, `phone` and `profile` (with custom attributes) each add their
 * own. `aws.cognito.signin.user.admin` and resource-server scopes change nothing.
 */
const PROFILE = new Set([
  'name',
  'family_name',
  'given_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'updated_at',
]);
const EMAIL = new Set(['email', 'email_verified']);
const PHONE = new Set(['phone_number', 'phone_number_verified']);

export function releasedBy(scopes: readonly string[]): (attribute: string) => boolean {
  const email = scopes.includes('email');
  const phone = scopes.includes('phone');
  const profile = scopes.includes('profile');
  if (!email && !phone && !profile) return () => true;
  return (name) =>
    name === 'sub' ||
    (email && EMAIL.has(name)) ||
    (phone && PHONE.has(name)) ||
    (profile && (PROFILE.has(name) || name.startsWith('custom:')));
}
