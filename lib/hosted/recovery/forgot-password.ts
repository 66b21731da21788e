import { z } from 'zod';
import type { HostedRuntime } from '../runtime';
import { redirect, type HttpIn, type HttpOut } from '../http';
import { extendTransaction, saveTransaction } from '../transactions';
import { openPost } from '../post';
import { hintsOf, toErrorPage } from '../dialogue';
import { stepUrl } from '../routes';
import { saveFlash, FLASH_PARAM } from '../flash';
import type { FormError } from '../form-errors';
import { sendResetCode, startResendCooldown } from './send-code';
import { MAX_USERNAME_LENGTH, SELF_SERVICE_TTL_MS } from './fields';

/**
 * `POST /forgotPassword`: the username (or email/phone alias) whose password is to be reset. Every name
 * that passes validation and the send caps leads to the same next page, `/confirmforgotPassword?tx=…`
 * (send-code.ts explains why and what may differ).
 */

const Form = z.object({
  username: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'required').max(MAX_USERNAME_LENGTH, 'value_too_long')),
});

export async function handleForgotPassword(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const opened = await openPost(rt, req, '/forgotPassword');
  if (!opened.ok) return opened.out;
  const { tx, form, browserId } = opened;
  await extendTransaction(rt, tx, SELF_SERVICE_TTL_MS);
  const raw = form.get('username') ?? '';
  const back = async (error: FormError): Promise<HttpOut> => {
    // What was typed comes back (cut to what the field holds), never into the URL.
    const id = await saveFlash(rt, browserId, { values: { username: raw.slice(0, MAX_USERNAME_LENGTH * 2) }, errors: { username: error } });
    return redirect(stepUrl('/forgotPassword', tx.id, hintsOf(req), { [FLASH_PARAM]: id }));
  };
  const parsed = Form.safeParse({ username: raw });
  if (!parsed.success) return back(parsed.error.issues[0]?.message === 'value_too_long' ? 'value_too_long' : 'required');
  const username = parsed.data.username;

  const outcome = await sendResetCode(rt, req, tx, username);
  if (outcome === 'invalid_client') return toErrorPage(req, 'invalid_client');
  if (outcome === 'send_limit') return back('send_limit');

  tx.state = { request: tx.state.request, step: 'login', typedUsername: tx.state.typedUsername, recovery: { username } };
  await saveTransaction(rt, tx);
  await startResendCooldown(rt, tx);
  return redirect(stepUrl('/confirmforgotPassword', tx.id, hintsOf(req)));
}
