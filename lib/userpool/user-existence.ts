import { createHash } from 'node:crypto';
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { ClientRecord } from './clients';
import type { PoolRecord } from './pools';
import { simulatedDelivery } from './delivery';
import { isCaseSensitive } from './pools';

/**
 * PreventUserExistenceErrors (an app-client setting, reference §6): with ENABLED the account-confirmation
 * and recovery operations answer for unknown (or disabled) users as if a code had gone out, so callers
 * cannot probe which usernames exist. LEGACY (the API default) names the missing user.
 */
export const USERNAME_CLIENT_NOT_FOUND = 'Username/client id combination not found.';

export function hidesUserExistence(client: ClientRecord): boolean {
  return client.config.PreventUserExistenceErrors === 'ENABLED';
}

/**
 * The pretend CodeDeliveryDetails for a user that can't receive a code. It depends only on what was typed
 * and the pool's verification settings, so asking twice gives the same answer, as for a real user.
 */
export function pretendDelivery(pool: PoolRecord, typed: string): CodeDeliveryDetailsType {
  const identifier = isCaseSensitive(pool) ? typed : typed.toLowerCase();
  if (/^\+[0-9]+$/.test(identifier) || identifier.includes('@')) return simulatedDelivery(identifier);
  const auto = pool.config.AutoVerifiedAttributes ?? [];
  if (auto.includes('phone_number') && !auto.includes('email')) {
    const digits = String(createHash('sha256').update(`${pool.id}\0${identifier}`).digest().readUInt32BE(0) % 10000).padStart(4, '0');
    return simulatedDelivery(`+1555010${digits}`);
  }
  return simulatedDelivery(identifier);
}
