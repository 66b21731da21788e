import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import { secureRandomBytes } from './random';

/**
 * Authenticated encryption for secrets at rest (client secrets, TOTP seeds, signing keys, SRP
 * verifiers, pending tokens). AES-256-GCM with a random 96-bit IV; the purpose string is bound as
 * associated data so a ciphertext cannot be moved from one column to another.
 */
export interface SecretBox {
  seal(plain: string | Buffer, purpose: string): string;
  open(sealed: string, purpose: string): Buffer;
  openText(sealed: string, purpose: string): string;
  /** A stable keyed digest (HMAC-like) for lookups of values that must not be stored in plain form. */
  digest(value: string, purpose: string): string;
}

const VERSION = 'v1';

export function createSecretBox(masterKey: string): SecretBox {
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, 'portico', 'at-rest-encryption', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, 'portico', 'lookup-digest', 32));
  return {
    seal(plain, purpose) {
      const iv = secureRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, purpose) {
      const [version, ivText, bodyText] = sealed.split('.');
      if (version !== VERSION || !ivText || !bodyText) throw new Error('unsupported sealed value');
      const body = Buffer.from(bodyText, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(ivText, 'base64url'));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
    },
    openText(sealed, purpose) {
      return this.open(sealed, purpose).toString('utf8');
    },
    digest(value, purpose) {
      return createHash('sha256').update(macKey).update(purpose).update('\0').update(value).digest('base64url');
    },
  };
}

export function sha256Base64Url(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('base64url');
}
