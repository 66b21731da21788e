import { createHmac } from 'node:crypto';

/**
 * SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)) (reference
 * §3.5). The hosted front's own copy: it computes the hash for the pool, so it never imports the engine.
 */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}
