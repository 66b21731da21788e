import { timingSafeEqual, createHash } from 'node:crypto';

/** Constant-time string comparison that does not leak length (both sides are hashed first). */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
