import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * Random bytes for the sign-in's request paths (ids, codes, session handles, IVs, SRP exponents, CSP
 * nonces), cut from a buffer that OpenSSL's CSPRNG fills 4 KB at a time. A `crypto.randomBytes` call costs
 * far more than its bytes: a native job object (announced to the async hooks), then a DRBG generate that
 * re-keys its AES state. A sign-in draws about sixteen times; from this buffer the main thread spent
 * 0.27–0.31 ms less per sign-in (two builds side by side, bench/phase-ab.ts). Node's own `randomUUID`
 * buffers the same way. Each byte is handed out once: copied out, then zeroed in the buffer, so the
 * buffer never holds a value already in use. Every thread (and every bundle that carries this module) has
 * its own buffer.
 */
const POOL_BYTES = 4096;
/** Larger draws (key material, bulk) go straight to the CSPRNG. */
const MAX_POOLED = 256;

const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

export function secureRandomBytes(size: number): Buffer {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`secureRandomBytes: bad size ${size}`);
  if (size > MAX_POOLED) return randomBytes(size);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.allocUnsafe(size);
  pool.copy(out, 0, offset, offset + size);
  pool.fill(0, offset, offset + size);
  offset += size;
  return out;
}

/** `size` random bytes as base64url (ids, codes, handles). */
export function randomToken(size: number): string {
  return secureRandomBytes(size).toString('base64url');
}

/** A random non-negative integer of `bytes` bytes: an SRP secret exponent (RFC 5054 §2.5.3: ≥ 256 bits). */
export function randomExponent(bytes = 32): bigint {
  return BigInt(`0x${secureRandomBytes(bytes).toString('hex')}`);
}
