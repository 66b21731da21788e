import { describe, expect, it } from 'vitest';
import { TOTP, Secret } from 'otpauth';
import { matchStep, newTotpSecret, stepAt, totpCode } from '../../lib/userpool/totp';

/** RFC 6238 TOTP as Cognito uses it: SHA-1, 6 digits, 30 s, ±1 step, each step usable once. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"

describe('totp', () => {
  it('matches the RFC 6238 SHA-1 test vectors (last 6 digits)', () => {
    expect(totpCode(RFC_SECRET, stepAt(59_000))).toBe('287082');
    expect(totpCode(RFC_SECRET, stepAt(1_111_111_109_000))).toBe('081804');
    expect(totpCode(RFC_SECRET, stepAt(2_000_000_000_000))).toBe('279037');
  });

  it('makes 52-character base32 seeds that authenticator apps (otpauth) agree with', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{52}$/);
    const now = 1_700_000_000_000;
    const app = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    expect(matchStep(secret, app.generate({ timestamp: now }), now, null)).toBe(stepAt(now));
  });

  it('accepts one step of drift either way, not two', () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015_000;
    const s = stepAt(now);
    expect(matchStep(secret, totpCode(secret, s - 1), now, null)).toBe(s - 1);
    expect(matchStep(secret, totpCode(secret, s + 1), now, null)).toBe(s + 1);
    expect(matchStep(secret, totpCode(secret, s - 2), now, null)).toBeUndefined();
    expect(matchStep(secret, totpCode(secret, s + 2), now, null)).toBeUndefined();
  });

  it('refuses a code whose step was already used (or an earlier one)', () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015_000;
    const s = stepAt(now);
    const code = totpCode(secret, s);
    expect(matchStep(secret, code, now, s)).toBeUndefined();
    expect(matchStep(secret, code, now, s + 1)).toBeUndefined();
    expect(matchStep(secret, code, now, s - 1)).toBe(s);
  });

  it('refuses malformed codes', () => {
    const secret = newTotpSecret();
    expect(matchStep(secret, '12345', Date.now(), null)).toBeUndefined();
    expect(matchStep(secret, '12345a', Date.now(), null)).toBeUndefined();
    expect(matchStep(secret, '', Date.now(), null)).toBeUndefined();
  });
});
