import type { EngineDeps } from './context';
import { findClient, type ClientRecord } from './clients';
import { verifyAccessToken, type AccessTokenHolder, type VerifyAccessOptions } from './tokens';

/**
 * The caller of a token-holder operation (GetUser, UpdateUserAttributes, ChangePassword, …): the access
 * token checked with Cognito's messages, plus the app client it was issued to, whose Read/WriteAttributes
 * bound what the holder may see and change.
 */
export interface TokenHolder extends AccessTokenHolder {
  client?: ClientRecord;
}

export async function requireTokenHolder(deps: EngineDeps, accessToken: string, options: VerifyAccessOptions = {}): Promise<TokenHolder> {
  const holder = await verifyAccessToken(deps, accessToken, options);
  const clientId = holder.claims.client_id;
  const client = clientId ? await findClient(deps, clientId) : undefined;
  return { ...holder, client: client && client.poolId === holder.pool.id ? client : undefined };
}
