import type { ClientRecord } from './clients';
import { errors } from './errors';
import { safeEqual } from '../crypto/compare';

/**
 * Operations that take the client secret itself rather than a SECRET_HASH (GetTokensFromRefreshToken,
 * RevokeToken). A client without a secret ignores one that is sent.
 */
export const secretNotReceived = (clientId: string) => `Client ${clientId} is configured for secret but secret was not received`;
export const secretMismatch = (clientId: string) => `Unable to verify secret for client ${clientId}`;

export function checkClientSecret(client: ClientRecord, provided: string | undefined): void {
  if (!client.secret) return;
  if (!provided) throw errors.notAuthorized(secretNotReceived(client.clientId));
  if (!safeEqual(provided, client.secret)) throw errors.notAuthorized(secretMismatch(client.clientId));
}
