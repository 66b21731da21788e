import { createHash } from 'node:crypto';
import { safeEqual } from '../crypto/compare';

/**
 * PKCE (RFC 7636), S256 only: a challenge is BASE64URL(SHA-256(verifier)) without padding, so exactly
 * 43 characters; a verifier is 43–128 unreserved characters.
 */
export const PKCE_METHOD = 'S256';
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export function isChallenge(value: string): boolean {
  return CHALLENGE.test(value);
}

export function isVerifier(value: string): boolean {
  return VERIFIER.test(value);
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The verifier is well formed and hashes to the challenge (compared in constant time). */
export function verifierMatches(verifier: string, challenge: string): boolean {
  return isVerifier(verifier) && safeEqual(s256(verifier), challenge);
}
