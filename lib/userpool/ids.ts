import { randomInt } from 'node:crypto';

/** Identifier shapes Cognito hands out (reference §0), drawn from a CSPRNG without modulo bias. */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomFrom(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `<region>_<9 alphanumerics>`, e.g. `us-east-1_AbCdEf123`. */
export function newPoolId(region: string): string {
  return `${region}_${randomFrom(ALNUM, 9)}`;
}

/** 26 lowercase alphanumerics, as real app client ids. */
export function newClientId(): string {
  return randomFrom(LOWER_ALNUM, 26);
}

/** 51 characters from `[a-z0-9]`, the length Cognito generates (model pattern `[\w+]+`, 24–64). */
export function newClientSecret(): string {
  return randomFrom(LOWER_ALNUM, 51);
}

/** Opaque pagination tokens carry the last key seen; base64url keeps them inside the model's patterns. */
export function encodePageToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodePageToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const key = Buffer.from(token, 'base64url').toString('utf8');
  return key === '' ? undefined : key;
}

