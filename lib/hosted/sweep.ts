import { logger } from '../observability/logger';
import type { HostedRuntime } from './runtime';
import { sweepSsoSessions } from './sso-session';
import { sweepFlashes } from './flash';
import { sweepCodes } from '../oauth/codes';
import { sweepRateLimits } from '../security/rate-limit';
import { sweepRefreshContexts } from './aws-refresh-context';

/**
 * Removes the hosted front's expired rows: transactions, sessions, codes, flashes, pending sign-ups,
 * counters, and AWS mode's records of refresh tokens that can no longer be used.
 */
export async function sweepHosted(rt: HostedRuntime): Promise<void> {
  const now = rt.clock.now();
  await sweepSsoSessions(rt);
  await sweepFlashes(rt);
  await sweepCodes({ db: rt.db, box: rt.box, now: () => now });
  await rt.db.deleteFrom('pending_signups').where('expires_at', '<', now).execute();
  await sweepRateLimits(rt.db, now);
  await sweepRefreshContexts(rt.db, now);
}

/** Sweeps once a minute for the life of the process; the timer never keeps the process alive. */
export function startHostedSweeper(rt: HostedRuntime, everyMs = 60_000): void {
  const timer = setInterval(() => {
    sweepHosted(rt).catch((e: unknown) => logger().warn({ error: (e as Error)?.name }, 'hosted sweep failed'));
  }, everyMs);
  timer.unref();
}
