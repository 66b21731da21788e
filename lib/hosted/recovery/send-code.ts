import { logger } from '../../observability/logger';
import { setTimeout as sleep } from 'node:timers/promises';
import { ForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../runtime';
import type { HttpIn } from '../http';
import type { Transaction } from '../transactions';
import { appClientOf, secretHashParams } from '../dialogue';
import { allowCodeSend, HOUR_MS } from '../send-guard';
import { localeOf } from '../locale';
import { hit, resetLimit } from '../../security/rate-limit';
import { sha256Base64Url } from '../../crypto/secretbox';

/**
 * Asking the pool for a password-reset code without revealing whether the account exists (reference §6,
 * PreventUserExistenceErrors). Whatever the pool answers — a code sent, UserNotFoundException (LEGACY
 * clients), NotAuthorizedException (disabled user, or one still on a temporary password),
 * InvalidParameterException (no verified email or phone), LimitExceededException (this user's hourly
 * send limit, which an unknown name never reaches), a delivery failure — the person is told the same
 * thing: "if an account exists, a code is on its way". The only refusals are decided before the pool
 * is asked, identically for every name: the per-IP cap, a per-name cap (so someone who keeps asking
 * gets a clear "too many codes" whether or not the name exists, normally before the pool's own limit
 * would silently stop sending), and the resend cooldown.
 *
 * Timing: an existing account costs the pool a code and a message, an unknown one a lookup; the answer
 * is held to at least RESPONSE_FLOOR_MS so the two are not told apart by a stopwatch. Measured with the
 * in-process engine (ForgotPassword alone, 35 names each): SQLite median 1.2 ms existing vs 0.6 ms
 * unknown (max 35 vs 3); PostgreSQL median 8.4 vs 1.5 ms (max 35 vs 20). A real pool that mails the code
 * takes longer for an existing account; the floor covers the usual spread, not a stalled mail service.
 */
export const RESPONSE_FLOOR_MS = 250;

export type SendOutcome = 'sent' | 'send_limit' | 'invalid_client';

/** Rate-limit key of the "send a new code" cooldown of one transaction. */
export function resendKey(tx: Transaction): string {
  return `hosted-reset-resend:${sha256Base64Url(tx.id)}`;
}

function nameKey(poolId: string, typed: string): string {
  // Case-folded: one person's retries in different case count together (stricter, never looser).
  return `hosted-reset-name:${poolId}:${sha256Base64Url(typed.trim().toLowerCase())}`;
}

/** Runs `fn` and waits until at least `ms` have passed since the start, whatever `fn` did. */
export async function withFloor<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    const left = ms - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

/** Marks the moment a code was asked for: "send a new code" waits rt.settings.resendCooldown from here. */
export async function startResendCooldown(rt: HostedRuntime, tx: Transaction): Promise<void> {
  if (rt.settings.resendCooldown <= 0) return;
  await resetLimit(rt.db, resendKey(tx));
  await hit(rt.db, resendKey(tx), { limit: 1, windowMs: rt.settings.resendCooldown * 1000 }, rt.clock.now());
}

/** Whether "send a new code" may go now (counts the attempt; the window restarts only after a send). */
export async function resendAllowed(rt: HostedRuntime, tx: Transaction): Promise<boolean> {
  if (rt.settings.resendCooldown <= 0) return true;
  const v = await hit(rt.db, resendKey(tx), { limit: 1, windowMs: rt.settings.resendCooldown * 1000 }, rt.clock.now());
  return v.ok;
}

function log(fields: Record<string, unknown>): void {
  // Exception names only: never the typed name, a code or a secret.
  logger().warn(fields, 'hosted password reset: unexpected pool answer');
}

/** The pool's answers that depend on the account and are deliberately shown as "sent". */
const EXPECTED = new Set([
  'UserNotFoundException',
  'NotAuthorizedException',
  'InvalidParameterException',
  'LimitExceededException',
  'CodeDeliveryFailureException',
]);

export async function sendResetCode(rt: HostedRuntime, req: HttpIn, tx: Transaction, typed: string): Promise<SendOutcome> {
  if (!(await allowCodeSend(rt, req)).ok) return 'send_limit';
  const request = tx.state.request;
  const perName = await hit(rt.db, nameKey(request.poolId, typed), { limit: rt.settings.codesPerRecipientHour, windowMs: HOUR_MS }, rt.clock.now());
  if (!perName.ok) return 'send_limit';
  const client = await appClientOf(rt, request);
  if (!client?.ClientId) return 'invalid_client';
  await withFloor(RESPONSE_FLOOR_MS, async () => {
    try {
      await rt.cognito.send(
        new ForgotPasswordCommand({
          ClientId: client.ClientId,
          Username: typed,
          SecretHash: secretHashParams(client, typed)['SECRET_HASH'],
          ClientMetadata: { 'portico:locale': localeOf(req) },
        }),
      );
    } catch (e) {
      const name = (e as { name?: string } | undefined)?.name ?? 'Error';
      if (!EXPECTED.has(name)) log({ error: name, message: (e as Error)?.message });
    }
  });
  return 'sent';
}
