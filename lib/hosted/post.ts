import type { HostedRuntime } from './runtime';
import { formFields, type HttpIn, type HttpOut } from './http';
import { loadTransaction, type Transaction } from './transactions';
import { cookieNames } from './cookies';
import { csrfValid } from './csrf';
import { STEP_PATH, isSelfServicePath, type StepPath } from './routes';
import { toErrorPage, toStep } from './dialogue';
import { hostedErrorResponse } from './error-response';
import { requestHttps } from '../domains/hosted';

/**
 * What every form POST of the dialogue checks before it talks to the pool: the transaction exists, has
 * not expired and belongs to this browser (else the "sign-in expired" page), the CSRF token matches
 * (else a translated 403), and the form is the one for the transaction's current step (else the right
 * page). proxy.ts has already refused a foreign Origin.
 */
export type OpenedPost = { ok: true; tx: Transaction; form: URLSearchParams; browserId: string } | { ok: false; out: HttpOut };

export function browserIdOf(rt: HostedRuntime, req: HttpIn): string | undefined {
  return req.cookies[cookieNames(requestHttps(rt, req.headers)).browser] || undefined;
}

export async function openPost(rt: HostedRuntime, req: HttpIn, path: StepPath): Promise<OpenedPost> {
  if (req.method !== 'POST') return { ok: false, out: hostedErrorResponse(req, 405, 'method_not_allowed', { allow: 'POST' }) };
  const form = formFields(req);
  const txId = req.url.searchParams.get('tx') ?? form.get('tx') ?? undefined;
  const browserId = browserIdOf(rt, req);
  const found = await loadTransaction(rt, txId, browserId);
  if (!found.ok) return { ok: false, out: toErrorPage(req, 'expired') };
  const { tx } = found;
  if (!csrfValid(rt, browserId, tx.id, form.get('csrf'))) return { ok: false, out: hostedErrorResponse(req, 403, 'csrf') };
  // The password form may always start over; a challenge form must match the step the pool is at; a
  // self-service form (sign-up, password reset) needs the dialogue to be at the password.
  if (isSelfServicePath(path) ? tx.state.step !== 'login' : path !== '/login' && STEP_PATH[tx.state.step] !== path) {
    return { ok: false, out: toStep(req, tx) };
  }
  return { ok: true, tx, form, browserId: browserId! };
}
