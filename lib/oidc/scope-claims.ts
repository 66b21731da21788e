/**
 * Which user attributes a set of OAuth scopes releases into an ID token or userinfo (reference §1.3):
 * `openid` alone releases every attribute the client may read; otherwise `email`, `phone` and `profile`
 * (with custom attributes) each add their own. `aws.cognito.signin.user.admin` and resource-server
 * scopes change nothing. Plain OIDC facts shared by the embedded pool (which issues the tokens) and the
 * hosted front (which answers userinfo), so both sides apply one rule.
 */
export const PROFILE_ATTRIBUTES: ReadonlySet<string> = new Set([
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
export const EMAIL_ATTRIBUTES: ReadonlySet<string> = new Set(['email', 'email_verified']);
export const PHONE_ATTRIBUTES: ReadonlySet<string> = new Set(['phone_number', 'phone_number_verified']);

export function releasedBy(scopes: readonly string[]): (attribute: string) => boolean {
  const email = scopes.includes('email');
  const phone = scopes.includes('phone');
  const profile = scopes.includes('profile');
  if (!email && !phone && !profile) return () => true;
  return (name) =>
    name === 'sub' ||
    (email && EMAIL_ATTRIBUTES.has(name)) ||
    (phone && PHONE_ATTRIBUTES.has(name)) ||
    (profile && (PROFILE_ATTRIBUTES.has(name) || name.startsWith('custom:')));
}
