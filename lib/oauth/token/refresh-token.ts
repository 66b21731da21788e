import { GetTokensFromRefreshTokenCommand, type UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../../hosted/runtime';
import { cognitoErrorName, oauthError } from '../errors';
import type { TokenRequest } from './form';
import { parseScope } from '../scopes';
import { accessClaims, type TokenResponse } from './response';

/**
 * grant_type=refresh_token (RFC 6749 §6) through GetTokensFromRefreshToken with the client secret, for
 * every client (decision 4). The pool binds the refresh token to its client and keeps the family's
 * scopes; a `scope` parameter may only name scopes the token already has (a narrower request is
 * answered with the token's actual scope, RFC 6749 §3.3).
 */
export async function refreshTokenGrant(rt: HostedRuntime, client: UserPoolClientType, form: TokenRequest): Promise<TokenResponse> {
  const refreshToken = form.refresh_token;
  if (refreshToken === undefined) throw oauthError('invalid_request', 'The refresh_token parameter is missing');
  const scopeParam = form.scope;
  const requested = scopeParam === undefined ? undefined : parseScope(scopeParam);
  if (scopeParam !== undefined && !requested) throw oauthError('invalid_scope', 'The scope parameter is malformed');

  let result;
  try {
    const out = await rt.cognito.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken: refreshToken, ClientSecret: client.ClientSecret }),
    );
    result = out.AuthenticationResult;
  } catch (e) {
    // Invalid, expired, revoked, reused or another client's token: all invalid_grant (RFC 6749 §5.2).
    if (cognitoErrorName(e)) throw oauthError('invalid_grant', 'The refresh token is invalid, expired or revoked');
    throw e;
  }
  if (!result?.AccessToken) throw oauthError('invalid_grant', 'The refresh token is invalid, expired or revoked');

  const granted = accessClaims(result.AccessToken).scope;
  if (requested && !requested.every((s) => granted.includes(s))) {
    throw oauthError('invalid_scope', 'The scope exceeds the scope originally granted');
  }
  // AWS mode: Portico's ID token again (same issuer as at sign-in, OIDC Core §12.2), the pool's auth_time.
  const idToken =
    result.IdToken && rt.idTokens
      ? await rt.idTokens.mint({ poolId: client.UserPoolId!, clientId: client.ClientId!, issuer: rt.issuer(client.UserPoolId!), poolIdToken: result.IdToken, accessToken: result.AccessToken })
      : result.IdToken;
  return {
    access_token: result.AccessToken,
    ...(idToken ? { id_token: idToken } : {}),
    ...(result.RefreshToken ? { refresh_token: result.RefreshToken } : {}),
    token_type: 'Bearer',
    expires_in: result.ExpiresIn ?? 3600,
    ...(requested ? { scope: granted.join(' ') } : {}),
  };
}
