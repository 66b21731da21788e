import type { HostedRuntime } from '../runtime';
import { redirect, type HttpIn, type HttpOut } from '../http';
import { saveFlash } from '../flash';
import { mapPoolError, type FormError } from '../form-errors';
import { accountUrl, type AccountParams } from './entry';
import { saveAccountState } from './state';

/**
 * How an account action answers (post → redirect → get): a confirmation code for the page's status
 * line (`?done=`, with the section's anchor so the page opens where the person was), or the failed
 * form's field errors and typed values (never passwords or codes) in a flash (`?f=`).
 */
export const DONE_CODES = [
  'password_changed',
  'totp_enabled',
  'totp_removed',
  'mfa_preferred',
  'code_sent',
  'email_verified',
  'phone_number_verified',
  'change_cancelled',
] as const;
export type DoneCode = (typeof DONE_CODES)[number];

export function isDoneCode(value: unknown): value is DoneCode {
  return typeof value === 'string' && (DONE_CODES as readonly string[]).includes(value);
}

export interface ActionContext {
  rt: HostedRuntime;
  req: HttpIn;
  params: AccountParams;
  browserId: string;
  sessionId: string;
}

export function done(c: ActionContext, code: DoneCode | undefined, anchor: string): HttpOut {
  return redirect(`${accountUrl('/account', c.params, { done: code })}#${anchor}`);
}

/**
 * No anchor here: a URL fragment stops the browser from honouring `autofocus`, and the error summary
 * must take the focus (its links lead to the fields). `_anchor` names the section for readers.
 */
export async function failed(c: ActionContext, _anchor: string, errors: Record<string, FormError>, values: Record<string, string> = {}): Promise<HttpOut> {
  const id = await saveFlash(c.rt, c.browserId, { values, errors });
  return redirect(accountUrl('/account', c.params, { f: id }));
}

/** Back to the account sign-in (the session or its tokens are gone or too old). */
export function toSignIn(params: AccountParams): HttpOut {
  return redirect(accountUrl('/account/signin', params));
}

function log(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
  // Names only: never passwords, codes, tokens.
  console[level](JSON.stringify({ level, msg, ...fields }));
}

/**
 * A pool error on an action: a dead access token (revoked by a sign-out elsewhere, the user disabled)
 * ends the account sign-in; a send cap becomes `send_limit` where a code was being sent; the rest is
 * mapped like the sign-in's errors and shown next to `field`.
 */
export async function poolFailed(
  c: ActionContext,
  e: unknown,
  o: { anchor: string; field: string; values?: Record<string, string>; sendsCode?: boolean },
): Promise<HttpOut> {
  const name = (e as { name?: string }).name ?? '';
  const message = (e as { message?: string }).message ?? '';
  if ((name === 'NotAuthorizedException' && /token|disabled/i.test(message)) || name === 'UserNotFoundException') {
    await saveAccountState(c.rt, c.sessionId, null);
    return toSignIn(c.params);
  }
  let code: FormError;
  if (o.sendsCode && name === 'LimitExceededException') code = 'send_limit';
  else if (name === 'InvalidParameterException' && /phone/i.test(message)) code = 'invalid_phone';
  else {
    const mapped = mapPoolError(e);
    code = mapped.code;
    if (!mapped.expected) log('error', 'account action failed', { action: o.anchor, error: name, message });
  }
  return failed(c, o.anchor, { [o.field]: code }, o.values);
}
