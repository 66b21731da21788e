import type { EngineDeps } from './context';
import { errors, messages } from './errors';
import { issueCode, type CodeCheck, type CodePurpose } from './codes';

/**
 * The codes people receive for sign-up confirmation, password reset and attribute verification: their
 * lifetimes, Cognito's per-user send limit, and Cognito's errors for a code that does not check out.
 * Each code row also carries the times of recent sends (the limit's memory) and, for attribute changes
 * that wait for verification, the pending value.
 */
export const SIGNUP_CODE_TTL_MS = 24 * 3600_000;
export const VERIFY_CODE_TTL_MS = 24 * 3600_000;
export const FORGOT_CODE_TTL_MS = 3600_000;

/** Cognito allows "between 5 and 20" code requests per user per hour; Portico takes the strict end. */
export const SENDS_PER_HOUR = 5;
const HOUR_MS = 3600_000;

export interface CodeData {
  /** Epoch ms of earlier sends of this purpose within the last hour. */
  sends?: number[];
  /** The attribute the code went to (sign-up confirmation verifies it). */
  attribute?: 'email' | 'phone_number';
  /** A new email/phone that replaces the current one only once verified. */
  pending?: string;
}

/** Sends within the window that still count against the limit. */
export function recentSends(sends: unknown, now: number): number[] {
  if (!Array.isArray(sends)) return [];
  return sends.filter((t): t is number => typeof t === 'number' && t > now - HOUR_MS && t <= now);
}

export async function readCodeData(deps: EngineDeps, poolId: string, usernameKey: string, purpose: CodePurpose): Promise<CodeData> {
  const row = await deps.db
    .selectFrom('codes')
    .select(['data'])
    .where('pool_id', '=', poolId)
    .where('username_key', '=', usernameKey)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row?.data) return {};
  try {
    return JSON.parse(row.data) as CodeData;
  } catch {
    return {};
  }
}

/**
 * Issues a new code (replacing the live one) unless the user already had SENDS_PER_HOUR codes of this
 * purpose in the last hour: then LimitExceededException, as Cognito. `enforce: false` records the send
 * without refusing it (a code that goes out as a side effect of a change that already happened).
 */
export async function issueLimitedCode(
  deps: EngineDeps,
  poolId: string,
  usernameKey: string,
  purpose: CodePurpose,
  ttlMs: number,
  data: Omit<CodeData, 'sends'> = {},
  options: { enforce?: boolean } = {},
): Promise<string> {
  const now = deps.clock.now();
  const previous = await readCodeData(deps, poolId, usernameKey, purpose);
  const sends = recentSends(previous.sends, now);
  if (options.enforce !== false && sends.length >= SENDS_PER_HOUR) throw errors.limitExceeded(messages.attemptLimit);
  const next: CodeData = { ...data, sends: [...sends, now] };
  return issueCode(deps, poolId, usernameKey, purpose, ttlMs, next as Record<string, unknown>);
}

/** Cognito's answer for a code that was not accepted. */
export function codeError(result: Exclude<CodeCheck['result'], 'ok'>) {
  switch (result) {
    case 'mismatch':
      return errors.codeMismatch(messages.codeMismatch);
    case 'exhausted':
      // Too many wrong codes void the code; Cognito reports it as an attempt limit.
      return errors.limitExceeded(messages.attemptLimit);
    case 'missing':
    case 'expired':
      return errors.expiredCode(messages.expiredCode);
  }
}

export function codeDataOf(check: CodeCheck): CodeData {
  return check.result === 'ok' ? ((check.data ?? {}) as CodeData) : {};
}
