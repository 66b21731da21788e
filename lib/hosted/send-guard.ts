import type { HostedRuntime } from './runtime';
import type { HttpIn } from './http';
import { hit } from '../security/rate-limit';
import { clientIpOf } from '../security/client-ip';

/**
 * The per-IP cap on pages that make the pool send a code (sign-up, resend, password reset, new email or
 * phone): against SMS pumping and mail flooding from one address. The pool adds its own per-recipient
 * cap (lib/userpool/delivery). Counted before the pool call, so a refused request sends nothing.
 */
export const HOUR_MS = 3_600_000;

export async function allowCodeSend(rt: HostedRuntime, req: HttpIn): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
  const verdict = await hit(rt.db, `hosted-send-ip:${clientIpOf(req.headers)}`, { limit: rt.settings.codesPerIpHour, windowMs: HOUR_MS }, rt.clock.now());
  return verdict.ok ? { ok: true } : { ok: false, retryAfterMs: verdict.retryAfterMs };
}
