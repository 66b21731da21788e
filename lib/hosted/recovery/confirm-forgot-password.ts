import { errorFields, logger } from '../../observability/logger';
import { z } from 'zod';
import { ConfirmForgotPasswordCommand, type PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../runtime';
import { redirect, type HttpIn, type HttpOut } from '../http';
import { extendTransaction, saveTransaction, type Transaction } from '../transactions';
import { openPost } from '../post';
import { appClientOf, hintsOf, secretHashParams, toErrorPage } from '../dialogue';
import { stepUrl } from '../routes';
import { saveFlash, FLASH_PARAM } from '../flash';
import { mapPoolError, type FormError } from '../form-errors';
import { localeOf } from '../locale';
import { normaliseCode } from '../challenges';
import { failingRules } from '../signup/password-rules';
import { MAX_PASSWORD_LENGTH, RESENT_PARAM, RULES_VALUE, SELF_SERVICE_TTL_MS } from './fields';
import { resendAllowed, sendResetCode, startResendCooldown } from './send-code';

/**
 * `POST /confirmforgotPassword`: the emailed/texted code and the new password (ConfirmForgotPassword),
 * or, with `intent=resend`, "send a new code". Success puts the dialogue back at the sign-in form with
 * the name filled in and a "password changed" notice. The code and the passwords are never kept for the
 * next page; a wrong code reads the same for an unknown account as for a known one.
 */

const Form = z.object({
  code: z.string().transform(normaliseCode),
  password: z.string(),
  confirm: z.string(),
});

type Errors = Partial<Record<'code' | 'password' | 'confirm' | '', FormError>>;

function page(req: HttpIn, tx: Transaction, extra: Record<string, string | undefined> = {}): HttpOut {
  return redirect(stepUrl('/confirmforgotPassword', tx.id, hintsOf(req), extra));
}

async function back(rt: HostedRuntime, req: HttpIn, tx: Transaction, browserId: string, errors: Errors, rules: FormError[] = []): Promise<HttpOut> {
  const values: Record<string, string> = rules.length > 0 ? { [RULES_VALUE]: rules.join(' ') } : {};
  const id = await saveFlash(rt, browserId, { values, errors: errors as Record<string, FormError> });
  return page(req, tx, { [FLASH_PARAM]: id });
}

/** What the form got wrong before the pool is asked: every field at once, every broken password rule. */
function check(form: z.infer<typeof Form>, policy: PasswordPolicyType | undefined): { errors: Errors; rules: FormError[] } {
  const errors: Errors = {};
  let rules: FormError[] = [];
  if (!form.code) errors.code = 'required';
  else if (!/^\d{6}$/.test(form.code)) errors.code = 'wrong_code';
  if (!form.password) errors.password = 'required';
  else if ([...form.password].length > MAX_PASSWORD_LENGTH) errors.password = 'value_too_long';
  else {
    // The rules the page lists (components/hosted/password-policy.tsx); the pool checks again anyway.
    rules = failingRules(policy, form.password);
    if (rules.length === 1) errors.password = rules[0];
    else if (rules.length > 1) errors.password = 'password_policy';
  }
  if (!form.confirm) errors.confirm = 'required';
  else if (form.password && form.confirm !== form.password) errors.confirm = 'password_mismatch';
  return { errors, rules };
}

/** A pool refusal as a field error. Unknown and disabled accounts read as a wrong code (reference §6). */
function refusal(e: unknown): { errors: Errors; unexpected: boolean } {
  const name = (e as { name?: string } | undefined)?.name ?? '';
  const message = (e as { message?: string } | undefined)?.message ?? '';
  switch (name) {
    case 'CodeMismatchException':
    case 'UserNotFoundException':
      return { errors: { code: 'wrong_code' }, unexpected: false };
    case 'NotAuthorizedException':
      // A LEGACY client's "User is disabled." (a secret-hash problem is the app's, not the person's).
      if (/SECRET_HASH|secret hash/i.test(message)) break;
      return { errors: { code: 'wrong_code' }, unexpected: false };
    case 'ExpiredCodeException':
      return { errors: { code: 'code_expired_resend' }, unexpected: false };
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
    case 'TooManyRequestsException':
      return { errors: { '': 'rate_limited' }, unexpected: false };
    case 'InvalidPasswordException':
    case 'PasswordHistoryPolicyViolationException':
      return { errors: { password: mapPoolError(e).code }, unexpected: false };
  }
  return { errors: { '': 'unexpected' }, unexpected: true };
}

async function resend(rt: HostedRuntime, req: HttpIn, tx: Transaction, browserId: string, username: string): Promise<HttpOut> {
  if (!(await resendAllowed(rt, tx))) return back(rt, req, tx, browserId, { '': 'resend_cooldown' });
  const outcome = await sendResetCode(rt, req, tx, username);
  if (outcome === 'invalid_client') return toErrorPage(req, 'invalid_client');
  if (outcome === 'send_limit') return back(rt, req, tx, browserId, { '': 'send_limit' });
  await startResendCooldown(rt, tx);
  return page(req, tx, { [RESENT_PARAM]: '1' });
}

export async function handleConfirmForgotPassword(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const opened = await openPost(rt, req, '/confirmforgotPassword');
  if (!opened.ok) return opened.out;
  const { tx, form, browserId } = opened;
  const username = tx.state.recovery?.username;
  if (!username) return redirect(stepUrl('/forgotPassword', tx.id, hintsOf(req)));
  await extendTransaction(rt, tx, SELF_SERVICE_TTL_MS);
  if (form.get('intent') === 'resend') return resend(rt, req, tx, browserId, username);

  const fields = Form.parse({ code: form.get('code') ?? '', password: form.get('password') ?? '', confirm: form.get('confirm') ?? '' });
  const pool = await rt.directory.pool(tx.state.request.poolId).catch(() => undefined);
  const { errors, rules } = check(fields, pool?.Policies?.PasswordPolicy);
  if (Object.keys(errors).length > 0) return back(rt, req, tx, browserId, errors, rules);

  const client = await appClientOf(rt, tx.state.request);
  if (!client?.ClientId) return toErrorPage(req, 'invalid_client');
  try {
    await rt.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: client.ClientId,
        Username: username,
        ConfirmationCode: fields.code,
        Password: fields.password,
        SecretHash: secretHashParams(client, username)['SECRET_HASH'],
        ClientMetadata: { 'portico:locale': localeOf(req) },
      }),
    );
  } catch (e) {
    const r = refusal(e);
    if (r.unexpected) {
      logger().error(errorFields(e), 'hosted password reset failed');
    }
    return back(rt, req, tx, browserId, r.errors);
  }
  tx.state = { request: tx.state.request, step: 'login', typedUsername: username, notice: 'password_reset' };
  await saveTransaction(rt, tx);
  return redirect(stepUrl('/login', tx.id, hintsOf(req)));
}
