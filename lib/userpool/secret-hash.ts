import { createHmac } from 'node:crypto';
import { errors, messages } from './errors';
import type { ClientRecord } from './clients';
import { safeEqual } from '../crypto/compare';

/** SECRET_HASH = Base64(HMAC-SHA256(clientSecret, username + clientId)) (reference §3.5). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

/** Enforces SECRET_HASH for clients with a secret; accepts any of the names the user may be known by. */
export function checkSecretHash(client: ClientRecord, provided: string | undefined, usernames: Array<string | undefined>): void {
  if (!client.secret) return;
  if (!provided) throw errors.notAuthorized(messages.missingSecretHash(client.clientId));
  const ok = usernames.some((u) => u !== undefined && safeEqual(secretHash(client.secret!, u, client.clientId), provided));
  if (!ok) throw errors.notAuthorized(messages.badSecretHash(client.clientId));
}
