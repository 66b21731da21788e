/**
 * A pool's OpenID Provider metadata (OIDC Discovery §3, RFC 8414): Cognito's key set (reference §1)
 * with the hosted front's endpoints, plus what Portico adds: PKCE S256, RFC 9207 `iss` in authorization
 * responses, the grant types and the claims it can release. The issuer is `{base}/{poolId}`, where `base` is
 * the request's site: PORTICO_URL or a custom domain's base URL (lib/domains).
 */
export const SUPPORTED_CLAIMS = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'at_hash',
  'cognito:username',
  'cognito:groups',
  'username',
  'name',
  'family_name',
  'given_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'email_verified',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
] as const;

export function discoveryDocument(publicUrl: string, poolId: string): Record<string, unknown> {
  const issuer = `${publicUrl}/${poolId}`;
  return {
    issuer,
    authorization_endpoint: `${publicUrl}/oauth2/authorize`,
    token_endpoint: `${publicUrl}/oauth2/token`,
    userinfo_endpoint: `${publicUrl}/oauth2/userInfo`,
    revocation_endpoint: `${publicUrl}/oauth2/revoke`,
    end_session_endpoint: `${publicUrl}/logout`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    response_modes_supported: ['query', 'fragment'],
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    claims_supported: SUPPORTED_CLAIMS,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}
