import { randomInt } from 'node:crypto';
import type { EngineDeps } from './context';
import { safeEqual } from '../crypto/compare';

/**
 * One-time codes (sign-up confirmation, password reset, attribute verification, MFA by SMS or email).
 * One live code per user and purpose: issuing a new one replaces the old. Stored as keyed digests only;
 * after MAX_ATTEMPTS wrong tries the code is void.
 */
export type CodePurpose = 'signup' | 'forgot' | 'verify:email' | 'verify:phone_number' | 'mfa';
export const MAX_ATTEMPTS = 5;

export function randomDigits(length = 6): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

export async function issueCode(
  deps: EngineDeps,
  poolId: string,
  usernameKey: string,
  purpose: CodePurpose,
  ttlMs: number,
  data?: Record<string, unknown>,
  length = 6,
): Promise<string> {
  const code = randomDigits(length);
  const now = deps.clock.now();
  const row = {
    pool_id: poolId,
    username_key: usernameKey,
    purpose,
    code_digest: deps.box.digest(code, `code:${purpose}`),
    data: data ? JSON.stringify(data) : null,
    attempts: 0,
    created_at: now,
    expires_at: now + ttlMs,
  };
  await deps.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('codes').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).where('purpose', '=', purpose).execute();
    await tx.insertInto('codes').values(row).execute();
  });
  return code;
}

export type CodeCheck = { result: 'ok'; data?: Record<string, unknown> } | { result: 'missing' | 'expired' | 'mismatch' | 'exhausted' };

/**
 * Checks a code; a correct one is consumed unless `keep` is set (the caller then discards it once the rest of
 * the operation succeeded, e.g. ConfirmSignUp may still fail with AliasExistsException and be retried).
 */
export async function checkCode(
  deps: EngineDeps,
  poolId: string,
  usernameKey: string,
  purpose: CodePurpose,
  code: string,
  options: { keep?: boolean } = {},
): Promise<CodeCheck> {
  const where = { pool_id: poolId, username_key: usernameKey, purpose };
  const row = await deps.db
    .selectFrom('codes')
    .selectAll()
    .where('pool_id', '=', where.pool_id)
    .where('username_key', '=', where.username_key)
    .where('purpose', '=', where.purpose)
    .executeTakeFirst();
  if (!row) return { result: 'missing' };
  const remove = () =>
    deps.db.deleteFrom('codes').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).where('purpose', '=', purpose).execute();
  if (Number(row.expires_at) <= deps.clock.now()) {
    await remove();
    return { result: 'expired' };
  }
  if (Number(row.attempts) >= MAX_ATTEMPTS) return { result: 'exhausted' };
  if (!safeEqual(deps.box.digest(code, `code:${purpose}`), row.code_digest)) {
    await deps.db
      .updateTable('codes')
      .set({ attempts: Number(row.attempts) + 1 })
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey)
      .where('purpose', '=', purpose)
      .execute();
    return { result: 'mismatch' };
  }
  if (!options.keep) await remove();
  return { result: 'ok', data: row.data ? (JSON.parse(row.data) as Record<string, unknown>) : undefined };
}

export async function discardCode(deps: EngineDeps, poolId: string, usernameKey: string, purpose: CodePurpose): Promise<void> {
  await deps.db.deleteFrom('codes').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).where('purpose', '=', purpose).execute();
}
