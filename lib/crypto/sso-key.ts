import { hkdfSync } from 'node:crypto';

/**
 * The HMAC key of the SSO assertions: Portico's hosted front signs them, the pool's Verify Auth
 * Challenge trigger checks them. Derived from the master key so the trigger (a Lambda on AWS) can be
 * given this key alone.
 */
export function ssoKeyFrom(secretKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, 'portico', 'sso-assertion', 32));
}
