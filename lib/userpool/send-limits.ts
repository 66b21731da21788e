import type { EngineDeps } from './context';
import { errors, messages } from './errors';
import { hitAll, peek, type RateLimit } from '../security/rate-limit';
import { sha256Base64Url } from '../crypto/secretbox';

/**
 * Caps on the codes the pool sends (against SMS pumping and mail flooding): per destination and per
 * source IP, per hour, counted in the shared database so every instance sees the same counts. Cognito's
 * answer to a refused send is LimitExceededException. The per-user cap per purpose lives in
 * ./verification-codes; the hosted front has its own per-IP cap before it calls the pool.
 */
export interface SendLimits {
  codesPerRecipientHour: number;
  codesPerIpHour: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = { codesPerRecipientHour: 5, codesPerIpHour: 30 };

const HOUR_MS = 3_600_000;

export interface SendOrigin {
  /** The email address or phone number the message goes to. */
  destination: string;
  /**
   * The caller's address, for public calls that came over the network only: the hosted front calls in
   * process (and caps per IP itself), and an administrator's own sends are not capped per IP.
   */
  sourceIp?: string;
}

/** Addresses are case-insensitive in practice; hashed so the counters do not hold them in the clear. */
function recipientKey(destination: string): string {
  return `pool-send-to:${sha256Base64Url(destination.trim().toLowerCase())}`;
}

function rules(deps: EngineDeps, origin: SendOrigin): Array<{ key: string; rule: RateLimit }> {
  const limits = deps.limits ?? DEFAULT_SEND_LIMITS;
  const out = [{ key: recipientKey(origin.destination), rule: { limit: limits.codesPerRecipientHour, windowMs: HOUR_MS } }];
  if (origin.sourceIp) out.push({ key: `pool-send-ip:${origin.sourceIp}`, rule: { limit: limits.codesPerIpHour, windowMs: HOUR_MS } });
  return out;
}

/** Counts one send; refuses it (before anything is written) when a cap is reached. Refused sends count too. */
export async function countSend(deps: EngineDeps, origin: SendOrigin): Promise<void> {
  const verdict = await hitAll(deps.db, rules(deps, origin), deps.clock.now());
  if (!verdict.ok) throw errors.limitExceeded(messages.attemptLimit);
}

/**
 * Whether a send would be refused, without counting one: for operations that must not change anything
 * (SignUp creating the user) when the code they are about to send would be refused anyway.
 */
export async function assertSendPossible(deps: EngineDeps, origin: SendOrigin): Promise<void> {
  const now = deps.clock.now();
  for (const { key, rule } of rules(deps, origin)) {
    if (!(await peek(deps.db, key, rule, now)).ok) throw errors.limitExceeded(messages.attemptLimit);
  }
}
