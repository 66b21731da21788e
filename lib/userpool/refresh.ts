import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import type { OpContext } from './context';
import { tokenValidity, type ClientRecord } from './clients';
import type { PoolRecord } from './pools';
import { errors, messages } from './errors';
import { checkSecretHash } from './secret-hash';
import { checkClientSecret, secretNotReceived } from './client-secret';
import { findUserByUsername } from './users';
import { issueTokens, lookupRefreshToken, revokeFamily } from './tokens';

/**
 * Refresh-token sign-in shared by InitiateAuth/AdminInitiateAuth (REFRESH_TOKEN_AUTH / REFRESH_TOKEN)
 * and GetTokensFromRefreshToken (reference §3.3, §5.4).
 *
 * A refresh token belongs to one client and one token family (its `origin_jti`); new ID and access
 * tokens keep the family's origin_jti and the original auth_time. Without rotation no new refresh token
 * is returned. With the client's RefreshTokenRotation ENABLED (GetTokensFromRefreshToken only) each
 * refresh returns a new refresh token of the same family; the old one still works for
 * RetryGracePeriodSeconds, and using it after that is treated as theft: the whole family is revoked.
 */
export interface RefreshArgs {
  pool: PoolRecord;
  client: ClientRecord;
  refreshToken: string;
  /** InitiateAuth: AuthParameters.SECRET_HASH (computed with the token owner's username or sub). */
  secretHash?: string;
  /** GetTokensFromRefreshToken: the client secret itself. */
  clientSecret?: string;
  deviceKey?: string;
  clientMetadata?: Record<string, string>;
  mode: 'initiate-auth' | 'get-tokens';
}

/** RefreshTokenReuseException has no documented message; this one says what happened. */
export const REFRESH_TOKEN_REUSED = 'Refresh Token has been reused; the session has been revoked';

export function rotationEnabled(client: ClientRecord): boolean {
  return client.config.RefreshTokenRotation?.Feature === 'ENABLED';
}

/** How long (ms) a rotated-out refresh token still works, for client retries (0–60 s). */
export function retryGraceMs(client: ClientRecord): number {
  const seconds = client.config.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0;
  return Math.min(Math.max(seconds, 0), 60) * 1000;
}

export async function refreshTokens(ctx: OpContext, args: RefreshArgs): Promise<AuthenticationResultType> {
  const { deps } = ctx;
  const { pool, client } = args;
  const rotation = rotationEnabled(client);
  if (args.mode === 'initiate-auth') {
    // Cognito: "Refresh token rotation must be completed with GetTokensFromRefreshToken."
    if (rotation) throw errors.invalidParameter('REFRESH_TOKEN_AUTH flow not enabled for this client');
    if (client.secret && !args.secretHash) throw errors.notAuthorized(secretNotReceived(client.clientId));
  } else {
    checkClientSecret(client, args.clientSecret);
  }

  const token = await lookupRefreshToken(deps, args.refreshToken);
  if (token.clientId !== client.clientId || token.poolId !== pool.id) throw errors.notAuthorized(messages.invalidRefreshToken);
  const user = await findUserByUsername(deps, pool, token.usernameKey);
  if (!user) throw errors.userNotFound(messages.userDoesNotExist);
  if (args.mode === 'initiate-auth') checkSecretHash(client, args.secretHash, [user.username, user.sub]);
  if (!user.enabled) throw errors.notAuthorized(messages.userDisabled);

  const now = deps.clock.now();
  if (token.rotatedAt !== null && now >= token.rotatedAt + retryGraceMs(client)) {
    await revokeFamily(deps, token.originJti);
    throw errors.refreshTokenReuse(REFRESH_TOKEN_REUSED);
  }

  const rotate = args.mode === 'get-tokens' && rotation;
  const result = await issueTokens(deps, {
    pool,
    client,
    user,
    authTime: token.authTime,
    originJti: token.originJti,
    withRefreshToken: rotate,
    deviceKey: args.deviceKey,
    // A hosted sign-in's family keeps its scopes (and so its token shape); no nonce on refresh.
    ...(token.scopes ? { scopes: token.scopes } : {}),
    // The family keeps the issuer of the domain it was minted on (still checked against the registry).
    ...(token.baseUrl ? { baseUrl: token.baseUrl } : {}),
    tokenGeneration: {
      source: 'TokenGeneration_RefreshTokens',
      // Cognito passes ClientMetadata to the trigger from GetTokensFromRefreshToken, not from InitiateAuth.
      ...(args.mode === 'get-tokens' && args.clientMetadata ? { clientMetadata: args.clientMetadata } : {}),
    },
  });
  if (rotate) {
    await deps.db
      .updateTable('refresh_tokens')
      .set({ rotated_at: now })
      .where('token_digest', '=', token.tokenDigest)
      .where('rotated_at', 'is', null)
      .execute();
    // A rotating session slides: the family lives as long as its newest refresh token.
    await deps.db
      .updateTable('token_families')
      .set({ expires_at: now + tokenValidity(client).refresh * 1000 })
      .where('origin_jti', '=', token.originJti)
      .execute();
  }
  return result;
}
