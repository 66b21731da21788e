/** A message is given up (status 'failed') after this many failed attempts. */
export const MAX_ATTEMPTS = 8;

const CAP_MS = 5 * 60_000;

/**
 * Wait before the next try after `attempts` failed ones: 2^attempts seconds, capped at 5 minutes, so a
 * carrier that is down for a while is not hammered and a short outage costs seconds.
 */
export function retryDelayMs(attempts: number): number {
  if (attempts < 0) return 1000;
  return Math.min(2 ** attempts * 1000, CAP_MS);
}
