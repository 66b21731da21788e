import { decodeProtectedHeader } from 'jose';
import type {
  GetTokensFromRefreshTokenRequest,
  GetTokensFromRefreshTokenResponse,
  RevokeTokenRequest,
  RevokeTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type Handler } from '../context';
import { errors } from '../errors';
import { requireClient } from '../clients';
import { checkClientSecret } from '../client-secret';
import { refreshTokens } from '../refresh';
import { revokeFamily } from '../tokens';
import { sha256Base64Url } from '../../crypto/secretbox';

/**
 * Refresh-token operations of their own (reference §3.3, §3.6, §5.4): GetTokensFromRefreshToken (the
 * refresh path with the client secret instead of a SECRET_HASH, and the only one that rotates) and
 * RevokeToken (ends a refresh token's family, and with it every ID/access token sharing its origin_jti).
 */
const getTokensFromRefreshToken = op<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse>(async (input, ctx) => {
  const { client, pool } = await requireClient(ctx.deps, input.ClientId!);
  const result = await refreshTokens(ctx, {
    pool,
    client,
    refreshToken: input.RefreshToken!,
    clientSecret: input.ClientSecret,
    deviceKey: input.DeviceKey,
    clientMetadata: input.ClientMetadata,
    mode: 'get-tokens',
  });
  return { AuthenticationResult: result };
});

/** ID and access tokens are JWTs; RevokeToken takes refresh tokens only. */
function looksLikeJwt(token: string): boolean {
  if (token.split('.').length !== 3) return false;
  try {
    return typeof decodeProtectedHeader(token).alg === 'string';
  } catch {
    return false;
  }
}

const revokeToken = op<RevokeTokenRequest, RevokeTokenResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { client } = await requireClient(deps, input.ClientId!);
  // Clients created before revocation existed have it off; new ones have it on unless told otherwise.
  if (client.config.EnableTokenRevocation === false) {
    throw errors.unsupportedOperation('Token revocation is not enabled for this app client.');
  }
  checkClientSecret(client, input.ClientSecret);
  const token = input.Token!;
  if (looksLikeJwt(token)) throw errors.unsupportedTokenType('Only refresh tokens can be revoked.');
  const row = await deps.db
    .selectFrom('refresh_tokens')
    .innerJoin('token_families', 'token_families.origin_jti', 'refresh_tokens.origin_jti')
    .select(['token_families.origin_jti', 'token_families.client_id'])
    .where('refresh_tokens.token_digest', '=', sha256Base64Url(token))
    .executeTakeFirst();
  // Unknown, expired or already revoked tokens succeed quietly (RFC 7009).
  if (!row) return {};
  if (row.client_id !== client.clientId) throw errors.unauthorized('The refresh token was not issued to this app client.');
  await revokeFamily(deps, row.origin_jti);
  return {};
});

export const tokenHandlers: Record<string, Handler> = {
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  RevokeToken: revokeToken,
};
