import { describe, expect, it } from 'vitest';
import { FREE_FAILURES, MAX_LOCK_MS, lockDurationMs } from '../../lib/userpool/lockout';

/** Cognito's back-off: 5 free failures, then 2^(n−5) s, doubling, capped at 15 minutes. */
describe('lockDurationMs', () => {
  it('lets the first failures through', () => {
    for (let n = 0; n < FREE_FAILURES; n++) expect(lockDurationMs(n)).toBe(0);
  });

  it('doubles from one second after the fifth failure', () => {
    expect(lockDurationMs(5)).toBe(1000);
    expect(lockDurationMs(6)).toBe(2000);
    expect(lockDurationMs(7)).toBe(4000);
    expect(lockDurationMs(14)).toBe(512_000);
  });

  it('is capped at 15 minutes, however long the attack goes on', () => {
    expect(lockDurationMs(15)).toBe(MAX_LOCK_MS);
    expect(lockDurationMs(1000)).toBe(MAX_LOCK_MS);
    expect(MAX_LOCK_MS).toBe(15 * 60_000);
  });
});
