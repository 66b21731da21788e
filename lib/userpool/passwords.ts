import { randomBytes } from 'node:crypto';
import type { EngineDeps } from './context';
import { errors } from './errors';
import type { PoolRecord } from './pools';
import type { UserRecord } from './users';
import { computeVerifierAsync, computeX, bigFromHex, toHex } from '../crypto/srp-math';
import { safeEqual } from '../crypto/compare';

/**
 * Passwords are never stored: only an SRP salt and verifier (Cognito's scheme), the verifier sealed at
 * rest because it is a fast hash of the password. USER_PASSWORD_AUTH derives x again and compares.
 */
const VERIFIER_PURPOSE = 'srp-verifier';
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- '.split(''));
export const MAX_PASSWORD_LENGTH = 256;

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

export function policyOf(pool: PoolRecord): PasswordPolicy {
  const p = pool.config.Policies?.PasswordPolicy ?? {};
  return {
    MinimumLength: p.MinimumLength ?? 8,
    RequireUppercase: p.RequireUppercase ?? true,
    RequireLowercase: p.RequireLowercase ?? true,
    RequireNumbers: p.RequireNumbers ?? true,
    RequireSymbols: p.RequireSymbols ?? true,
    TemporaryPasswordValidityDays: p.TemporaryPasswordValidityDays || 7,
  };
}

/** The first rule the password breaks, in Cognito's words, or undefined when it conforms. */
export function policyViolation(pool: PoolRecord, password: string): string | undefined {
  const policy = policyOf(pool);
  if ([...password].length < policy.MinimumLength) return 'Password not long enough';
  if ([...password].length > MAX_PASSWORD_LENGTH) return 'Password is too long';
  if (/^\s|\s$/.test(password)) return 'Password must not begin or end with a space';
  if (policy.RequireLowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (policy.RequireNumbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.has(c))) return 'Password must have symbol characters';
  return undefined;
}

export function assertPolicy(pool: PoolRecord, password: string, phrasing: 'did not conform with' | 'does not conform to' = 'did not conform with'): void {
  const violation = policyViolation(pool, password);
  if (violation) throw errors.invalidPassword(`Password ${phrasing} policy: ${violation}`);
}

/**
 * Sets salt and verifier on the record (the caller saves it). Async (the exponentiation runs on the
 * crypto threads) and named so: a caller that forgot the await would save the old verifier.
 */
export async function setPasswordAsync(deps: EngineDeps, pool: PoolRecord, user: UserRecord, password: string): Promise<void> {
  const saltHex = randomBytes(16).toString('hex');
  const x = computeX(saltHex, pool.srpName, user.username, password);
  const v = await computeVerifierAsync(x);
  user.srpSalt = saltHex;
  user.srpVerifierEnc = deps.box.seal(toHex(v), VERIFIER_PURPOSE);
  user.passwordUpdatedAt = deps.clock.now();
}

export function verifierOf(deps: EngineDeps, user: UserRecord): bigint | undefined {
  if (!user.srpVerifierEnc) return undefined;
  return bigFromHex(deps.box.openText(user.srpVerifierEnc, VERIFIER_PURPOSE));
}

/** Named …Async because `if (!passwordMatchesAsync(…))` without the await would compile and never match. */
export async function passwordMatchesAsync(deps: EngineDeps, pool: PoolRecord, user: UserRecord, password: string): Promise<boolean> {
  const v = verifierOf(deps, user);
  if (!user.srpSalt || v === undefined || password.length > MAX_PASSWORD_LENGTH) return false;
  const candidate = await computeVerifierAsync(computeX(user.srpSalt, pool.srpName, user.username, password));
  return safeEqual(toHex(candidate), toHex(v));
}

/** Cognito-style temporary password that satisfies the pool's policy. */
export function generateTemporaryPassword(pool: PoolRecord): string {
  const policy = policyOf(pool);
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#$%^&*'];
  const all = sets.join('');
  const length = Math.max(policy.MinimumLength, 12);
  const bytes = randomBytes(length);
  const chars = sets.map((s, i) => s[bytes[i]! % s.length]!);
  for (let i = chars.length; i < length; i++) chars.push(all[bytes[i]! % all.length]!);
  // Fisher–Yates with fresh randomness so the class characters are not always first.
  const shuffle = randomBytes(length);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = shuffle[i]! % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
