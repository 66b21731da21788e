import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import type { OpContext } from './context';
import type { ClientRecord } from './clients';
import type { PoolRecord } from './pools';
import { errors } from './errors';

/**
 * Refresh-token sign-in shared by InitiateAuth/AdminInitiateAuth (REFRESH_TOKEN_AUTH / REFRESH_TOKEN)
 * and GetTokensFromRefreshToken.
 * TODO(owner: self-service engineer): implementation in progress.
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

export async function refreshTokens(_ctx: OpContext, _args: RefreshArgs): Promise<AuthenticationResultType> {
  throw errors.unsupportedOperation('Refresh is not available yet.');
}
