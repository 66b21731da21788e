import { GetTokensFromRefreshTokenCommand, type UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../../hosted/runtime';
import type { HttpIn } from '../../hosted/http';
import { refreshContextOf, refreshTokenLifetimeMs, rememberRefreshContext, type RefreshContext } from '../../hosted/aws-refresh-context';
import { requestSite } from '../../domains/hosted';
import { BASE_URL_METADATA, issuerAt } from '../../domains/site';
import { registeredBaseUrl } from '../../domains/store';
import { cognitoErrorName, oauthError } from '../errors';
import type { TokenRequest } from './form';
import { parseScope } from '../scopes';
import { accessClaims, type TokenResponse } from './response';

/**
 * grant_type=refresh_token (RFC 6749 §6) through GetTokensFromRefreshToken with the client secret, for
 * every client (decision 4). The pool binds the refresh token to its client and keeps the family's
 * scopes; a `scope` parameter may only name scopes the token already has (a narrower request is
 * answered with the token's actual scope, RFC 6749 §3.3).
 *
 * AWS mode: Amazon Cognito remembers neither the scopes granted nor the domain of the sign-in, so the
 * refresh sends the scopes recorded at sign-in (lib/hosted/aws-refresh-context.ts) as ClientMetadata,
 * as the sign-in did, for the pool's Pre Token Generation trigger; and Portico's re-issued ID token
 * keeps the issuer of the sign-in.
 */
export async function refreshTokenGrant(rt: HostedRuntime, client: UserPoolClientType, form: TokenRequest, req?: HttpIn): Promise<TokenResponse> {
  const refreshToken = form.refresh_token;
  if (refreshToken === undefined) throw oauthError('invalid_request', 'The refresh_token parameter is missing');
  const scopeParam = form.scope;
  const requested = scopeParam === undefined ? undefined : parseScope(scopeParam);
  if (scopeParam !== undefined && !requested) throw oauthError('invalid_scope', 'The scope parameter is malformed');

  const context = rt.settings.aws ? await refreshContextOf(rt.db, refreshToken, client.ClientId!, rt.clock.now()) : undefined;
  let result;
  try {
    const out = await rt.cognito.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: client.ClientId,
        RefreshToken: refreshToken,
        ClientSecret: client.ClientSecret,
        ...(context ? { ClientMetadata: refreshClientMetadata(context) } : {}),
      }),
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
  // A rotating client got a new refresh token: it carries on the record of the one it replaces.
  if (context && result.RefreshToken && result.RefreshToken !== refreshToken) {
    await rememberRefreshContext(rt.db, {
      ...context,
      refreshToken: result.RefreshToken,
      poolId: client.UserPoolId!,
      clientId: client.ClientId!,
      lifetimeMs: refreshTokenLifetimeMs(client),
      now: rt.clock.now(),
    });
  }
  // AWS mode: Portico's ID token again (same issuer as at sign-in, OIDC Core §12.2), the pool's auth_time.
  const idToken =
    result.IdToken && rt.idTokens
      ? await rt.idTokens.mint({
          poolId: client.UserPoolId!,
          clientId: client.ClientId!,
          issuer: await refreshIssuer(rt, client.UserPoolId!, context, req),
          poolIdToken: result.IdToken,
          accessToken: result.AccessToken,
        })
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

/**
 * The `iss` of a refreshed AWS-mode ID token: the one the sign-in's tokens were issued under (its
 * domain, while that domain is still registered for the pool, else PORTICO_URL's, as the embedded
 * pool's token family does). A refresh token Portico holds no record of (issued before records were
 * kept) gets the issuer of the site the request came in on: a relying party calls the token endpoint
 * its issuer's discovery names.
 */
async function refreshIssuer(rt: HostedRuntime, poolId: string, context: RefreshContext | undefined, req: HttpIn | undefined): Promise<string> {
  if (context) {
    const base = await registeredBaseUrl(rt.db, poolId, context.baseUrl);
    return base ? issuerAt(base, poolId) : rt.issuer(poolId);
  }
  if (!req) return rt.issuer(poolId);
  const site = await requestSite(rt, req.headers);
  return site.domain?.poolId === poolId ? issuerAt(site.baseUrl, poolId) : rt.issuer(poolId);
}

/**
 * The ClientMetadata a refresh sends to GetTokensFromRefreshToken: what the sign-in dialogue sent
 * (lib/hosted/dialogue.ts clientMetadata), less what belongs to an interactive sign-in only (the nonce,
 * the page's language), so the pool's Pre Token Generation trigger shapes the refreshed tokens alike.
 */
function refreshClientMetadata(context: RefreshContext): Record<string, string> {
  return { 'portico:scope': context.scopes.join(' '), ...(context.baseUrl ? { [BASE_URL_METADATA]: context.baseUrl } : {}) };
}
