import { randomBytes } from 'node:crypto';
import { HOTP, Secret } from 'otpauth';
import type { EngineDeps } from './context';
import type { UserRecord } from './users';
import { safeEqual } from '../crypto/compare';

/**
 * RFC 6238 TOTP as Cognito does it: SHA-1, 6 digits, 30 s steps, one step of tolerance either side.
 * Seeds are sealed at rest; a code is accepted only for a step later than the last one used, recorded
 * with a compare-and-set so two requests cannot both spend the same code.
 */
export const PERIOD_MS = 30_000;
export const DIGITS = 6;
const SEED_PURPOSE = 'totp-seed';
const PENDING_PURPOSE = 'totp-pending';

/** A new base32 seed (32 random bytes → 52 characters, the length Cognito's SecretCode has). */
export function newTotpSecret(): string {
  return new Secret({ buffer: randomBytes(32).buffer as ArrayBuffer }).base32;
}

export const sealPendingSecret = (deps: EngineDeps, secret: string) => deps.box.seal(secret, PENDING_PURPOSE);
export const openPendingSecret = (deps: EngineDeps, sealed: string) => deps.box.openText(sealed, PENDING_PURPOSE);
export const sealTotpSecret = (deps: EngineDeps, secret: string) => deps.box.seal(secret, SEED_PURPOSE);
export const openTotpSecret = (deps: EngineDeps, sealed: string) => deps.box.openText(sealed, SEED_PURPOSE);

export function stepAt(ms: number): number {
  return Math.floor(ms / PERIOD_MS);
}

export function totpCode(secret: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: DIGITS, counter: step });
}

/**
 * The step whose code matches (current ±1, never at or before lastStep), or undefined. All candidate
 * steps are computed, so the time taken does not depend on which one matched.
 */
export function matchStep(secret: string, code: string, nowMs: number, lastStep: number | null): number | undefined {
  if (!/^[0-9]{6}$/.test(code)) return undefined;
  const now = stepAt(nowMs);
  let found: number | undefined;
  for (const step of [now - 1, now, now + 1]) {
    const ok = safeEqual(totpCode(secret, step), code);
    if (ok && found === undefined && (lastStep === null || step > lastStep)) found = step;
  }
  return found;
}

/** Records `step` as used unless a concurrent request already used it (or a later one). */
export async function spendStep(deps: EngineDeps, user: UserRecord, step: number): Promise<boolean> {
  const result = await deps.db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('pool_id', '=', user.poolId)
    .where('username_key', '=', user.usernameKey)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  const spent = Number(result.numUpdatedRows) === 1;
  if (spent) user.totpLastStep = step;
  return spent;
}

/** Checks a code against the user's active seed and spends it. */
export async function verifyUserTotp(deps: EngineDeps, user: UserRecord, code: string): Promise<boolean> {
  if (!user.totpSecretEnc) return false;
  const step = matchStep(openTotpSecret(deps, user.totpSecretEnc), code, deps.clock.now(), user.totpLastStep);
  if (step === undefined) return false;
  return spendStep(deps, user, step);
}
