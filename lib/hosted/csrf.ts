import type { HostedRuntime } from './runtime';
import { safeEqual } from '../crypto/compare';

/**
 * The anti-CSRF token of a hosted form (issue 3, decision 6): a keyed digest over the browser cookie and
 * the transaction id. It is not stored anywhere; a form posted from another browser, or for another
 * transaction, carries a token that does not match.
 */
const PURPOSE = 'csrf';

export function csrfToken(rt: HostedRuntime, browserId: string, txId: string): string {
  return rt.box.digest(`${browserId}.${txId}`, PURPOSE);
}

export function csrfValid(rt: HostedRuntime, browserId: string | undefined, txId: string, token: string | null | undefined): boolean {
  if (!browserId || !token) return false;
  return safeEqual(csrfToken(rt, browserId, txId), token);
}
