import { describe, expect, it } from 'vitest';
import { randomToken, secureRandomBytes } from '../../lib/crypto/random';

/** lib/crypto/random.ts: bytes cut from a 4 KB CSPRNG buffer, each handed out once. */
describe('secureRandomBytes', () => {
  it('returns exactly the size asked, across refills and past the pooled maximum', () => {
    // 37 does not divide 4096: draws straddle the end of the buffer and force refills.
    for (let i = 0; i < 400; i++) expect(secureRandomBytes(37).length).toBe(37);
    expect(secureRandomBytes(0).length).toBe(0);
    expect(secureRandomBytes(256).length).toBe(256);
    expect(secureRandomBytes(5000).length).toBe(5000);
  });

  it('never hands out the same bytes twice', () => {
    const seen = new Set<string>();
    // Three buffers' worth in 32-byte draws: a reused or zeroed region shows as a repeat.
    for (let i = 0; i < 400; i++) seen.add(secureRandomBytes(32).toString('hex'));
    expect(seen.size).toBe(400);
  });

  it('returns a copy: later draws (which zero and refill the buffer) do not change it', () => {
    const first = secureRandomBytes(48);
    const kept = Buffer.from(first);
    for (let i = 0; i < 300; i++) secureRandomBytes(40);
    expect(first.equals(kept)).toBe(true);
  });

  it('looks uniformly random (no run of zeros, every byte value present at a sane rate)', () => {
    const counts = new Array<number>(256).fill(0);
    let zeroRuns = 0;
    for (let i = 0; i < 2048; i++) {
      const b = secureRandomBytes(32);
      if (b.every((x) => x === 0)) zeroRuns++;
      for (const x of b) counts[x]!++;
    }
    expect(zeroRuns).toBe(0);
    // 65,536 bytes: 256 expected per value; a chi-square far above 400 (255 degrees of freedom) is not random.
    const chi = counts.reduce((sum, c) => sum + (c - 256) ** 2 / 256, 0);
    expect(chi).toBeLessThan(400);
    expect(Math.min(...counts)).toBeGreaterThan(150);
  });

  it('refuses a size that is not a whole non-negative number', () => {
    expect(() => secureRandomBytes(-1)).toThrow(RangeError);
    expect(() => secureRandomBytes(1.5)).toThrow(RangeError);
  });

  it('randomToken is base64url of that many bytes', () => {
    const t = randomToken(32);
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t, 'base64url').length).toBe(32);
    expect(randomToken(32)).not.toBe(t);
  });
});
