import { AdminGetUserCommand, RevokeTokenCommand, type UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../../hosted/runtime';
import { lookupCode, redeemCode, type CodeGrant, type CodeStoreDeps } from '../codes';
import { cognitoErrorName, oauthError } from '../errors';
import type { TokenRequest } from './form';
import { verifierMatches } from '../pkce';
import { OIDC_SCOPE } from '../scopes';
import { accessClaims, remainingSeconds, type TokenResponse } from './response';

/**
 * grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6). Every parameter is checked against the
 * code before anything happens: a replay with a wrong client, redirect URI or verifier changes nothing
 * (security checklist 22). A second redemption with everything right is the stolen-code case: it gets
 * invalid_grant and the tokens of the first redemption are revoked (checklist 21, decision 4).
 */
const invalidGrant = (description: string) => oauthError('invalid_grant', description);

function checkBinding(grant: CodeGrant, client: UserPoolClientType, form: TokenRequest): void {
  if (grant.clientId !== client.ClientId || grant.poolId !== client.UserPoolId) {
    throw invalidGrant('The authorization code was not issued to this client');
  }
  const redirectUri = form.redirect_uri;
  if (redirectUri === undefined) throw oauthError('invalid_request', 'The redirect_uri parameter is missing');
  if (redirectUri !== grant.redirectUri) throw invalidGrant('The redirect_uri does not match the authorization request');
  const verifier = form.code_verifier;
  if (grant.codeChallenge === undefined) {
    // PKCE downgrade protection: a verifier for a code issued without a challenge (RFC 9700 §4.8.2).
    if (verifier !== undefined) throw invalidGrant('A code_verifier was sent for a code issued without a code_challenge');
    return;
  }
  if (verifier === undefined) throw invalidGrant('The code_verifier parameter is missing');
  if (!verifierMatches(verifier, grant.codeChallenge)) throw invalidGrant('The code_verifier does not match the code_challenge');
}

async function revokeFirstRedemption(rt: HostedRuntime, client: UserPoolClientType, refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) return;
  try {
    await rt.cognito.send(new RevokeTokenCommand({ Token: refreshToken, ClientId: client.ClientId, ClientSecret: client.ClientSecret }));
  } catch {
    // Revocation disabled for the client, or the pool unreachable: the answer is invalid_grant anyway.
  }
}

/** A user disabled or deleted since sign-in gets no tokens (security checklist 34). */
async function ensureUserActive(rt: HostedRuntime, grant: CodeGrant, accessToken: string): Promise<void> {
  const username = accessClaims(accessToken).username ?? grant.sub;
  try {
    const user = await rt.cognito.send(new AdminGetUserCommand({ UserPoolId: grant.poolId, Username: username }));
    if (user.Enabled === false) throw invalidGrant('The user is disabled');
  } catch (e) {
    if (cognitoErrorName(e) === 'UserNotFoundException') throw invalidGrant('The user no longer exists');
    throw e;
  }
}

export async function authorizationCodeGrant(rt: HostedRuntime, client: UserPoolClientType, form: TokenRequest): Promise<TokenResponse> {
  if (!client.AllowedOAuthFlowsUserPoolClient || !(client.AllowedOAuthFlows ?? []).includes('code')) {
    throw oauthError('unauthorized_client', 'The client may not use the authorization code grant');
  }
  const code = form.code;
  if (code === undefined) throw oauthError('invalid_request', 'The code parameter is missing');
  const store: CodeStoreDeps = { db: rt.db, box: rt.box, now: () => rt.clock.now() };
  const found = await lookupCode(store, code);
  if (found.state === 'unknown') throw invalidGrant('The authorization code is invalid');
  if (found.state === 'expired') throw invalidGrant('The authorization code has expired');
  checkBinding(found.grant, client, form);

  // The user is checked before the code is spent: a pool that cannot answer (a 503 to the client) leaves
  // the code live for the client's retry instead of turning the retry into invalid_grant.
  if (found.state === 'live' && found.tokens) await ensureUserActive(rt, found.grant, found.tokens.accessToken);
  const tokens = found.state === 'live' ? await redeemCode(store, found.digest, found) : undefined;
  if (!tokens) {
    await revokeFirstRedemption(rt, client, found.refreshToken);
    throw invalidGrant('The authorization code has already been used');
  }
  return {
    access_token: tokens.accessToken,
    ...(tokens.idToken && found.grant.scopes.includes(OIDC_SCOPE) ? { id_token: tokens.idToken } : {}),
    ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
    token_type: 'Bearer',
    expires_in: remainingSeconds(tokens.accessToken, tokens.expiresIn, rt.clock.now()),
  };
}
