import {
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  SetUserMFAPreferenceCommand,
  UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
  type SetUserMFAPreferenceCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { z } from 'zod';
import type { HostedRuntime } from '../runtime';
import { formFields, redirect, type HttpIn, type HttpOut } from '../http';
import { clearCookie, cookieNames } from '../cookies';
import { destroySsoSession } from '../sso-session';
import { errorPageUrl } from '../routes';
import { hintsOf } from '../dialogue';
import { hostedErrorResponse } from '../error-response';
import { allowCodeSend } from '../send-guard';
import { localeOf } from '../locale';
import { normaliseCode } from '../challenges';
import type { FormError } from '../form-errors';
import { accountParamsOf, accountUrl } from './entry';
import { accountCookiesOf, accountCsrfValid, openAccount } from './access';
import { checkPassword } from './password-check';
import { saveAccountState, type AccountState, type ContactAttribute } from './state';
import { done, failed, poolFailed, toSignIn, type ActionContext } from './respond';
import { contactChangeAllowed, enabledFactors, mfaSettingsKey, totpRemovalAllowed, type MfaFactor } from './rules';
import { requestHttps } from '../../domains/hosted';

/**
 * `POST /account`: one form per action (`action` field), each checked against the session, the
 * recent-sign-in window and the CSRF token first. Actions that could lock the person out or take the
 * account over (new password, removing the authenticator, a new email or phone, signing out everywhere)
 * ask for the current password, which the pool checks (password-check.ts).
 */
const ACTIONS = [
  'password',
  'totp_start',
  'totp_verify',
  'totp_cancel',
  'totp_remove',
  'mfa_preferred',
  'contact_change',
  'contact_verify',
  'contact_resend',
  'contact_cancel',
  'signout_all',
] as const;
const actionSchema = z.enum(ACTIONS);
const attributeSchema = z.enum(['email', 'phone_number']);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+[1-9]\d{4,14}$/;

interface Ctx extends ActionContext {
  form: URLSearchParams;
  state: AccountState;
  username: string;
  client: Parameters<typeof checkPassword>[1];
  locale: string;
}

export async function handleAccountPost(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  if (req.method !== 'POST') return hostedErrorResponse(req, 405, 'method_not_allowed', { allow: 'POST' });
  const params = accountParamsOf(req.url.searchParams);
  if (!params) return redirect(errorPageUrl('invalid_client', hintsOf(req)));
  const access = await openAccount(rt, params, accountCookiesOf(rt, (n) => req.cookies[n], req.headers));
  if (!access.ok) return access.reason === 'client' ? redirect(errorPageUrl('invalid_client', hintsOf(req))) : toSignIn(access.params);
  const form = formFields(req);
  if (!accountCsrfValid(rt, access.browserId, access.session, form.get('csrf'))) return hostedErrorResponse(req, 403, 'csrf');
  const action = actionSchema.safeParse(form.get('action'));
  const c: Ctx = {
    rt,
    req,
    params: access.params,
    browserId: access.browserId,
    sessionId: access.session.id,
    form,
    state: access.state,
    username: access.session.data.username,
    client: access.account.client,
    locale: localeOf(req),
  };
  if (!action.success) return done(c, undefined, 'main');
  switch (action.data) {
    case 'password':
      return changePassword(c);
    case 'totp_start':
      return totpStart(c);
    case 'totp_verify':
      return totpVerify(c);
    case 'totp_cancel':
      delete c.state.totpSecret;
      await saveAccountState(rt, c.sessionId, c.state);
      return done(c, undefined, 'mfa');
    case 'totp_remove':
      return totpRemove(c);
    case 'mfa_preferred':
      return mfaPreferred(c);
    case 'signout_all':
      return signOutEverywhere(c);
    default:
      return contact(c, action.data);
  }
}

function field(c: Ctx, name: string): string {
  return c.form.get(name) ?? '';
}

/** The current password of a sensitive form, checked by the pool; an error for `name` when wrong. */
async function passwordError(c: Ctx, name: string): Promise<FormError | undefined> {
  const checked = await checkPassword(c.rt, c.client, c.username, field(c, name));
  return checked.ok ? undefined : checked.error;
}

async function changePassword(c: Ctx): Promise<HttpOut> {
  const current = field(c, 'pw.current');
  const proposed = field(c, 'pw.new');
  const confirm = field(c, 'pw.confirm');
  const errors: Record<string, FormError> = {};
  if (!current) errors['pw.current'] = 'required';
  if (!proposed) errors['pw.new'] = 'required';
  else if (proposed.length > 256) errors['pw.new'] = 'value_too_long';
  if (!confirm) errors['pw.confirm'] = 'required';
  else if (proposed && confirm !== proposed) errors['pw.confirm'] = 'password_mismatch';
  if (Object.keys(errors).length > 0) return failed(c, 'password', errors);
  const wrong = await passwordError(c, 'pw.current');
  if (wrong) return failed(c, 'password', { 'pw.current': wrong });
  try {
    await c.rt.cognito.send(new ChangePasswordCommand({ AccessToken: c.state.accessToken, PreviousPassword: current, ProposedPassword: proposed }));
  } catch (e) {
    return poolFailed(c, e, { anchor: 'password', field: 'pw.new' });
  }
  return done(c, 'password_changed', 'password');
}

async function totpStart(c: Ctx): Promise<HttpOut> {
  try {
    const out = await c.rt.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: c.state.accessToken }));
    if (!out.SecretCode) return failed(c, 'mfa', { '': 'mfa_unavailable' });
    c.state.totpSecret = out.SecretCode;
  } catch (e) {
    return poolFailed(c, e, { anchor: 'mfa', field: '' });
  }
  await saveAccountState(c.rt, c.sessionId, c.state);
  return done(c, undefined, 'totp-setup');
}

async function totpVerify(c: Ctx): Promise<HttpOut> {
  if (!c.state.totpSecret) return done(c, undefined, 'mfa');
  const code = normaliseCode(c.form.get('totp.code'));
  if (!/^\d{6}$/.test(code)) return failed(c, 'totp-setup', { 'totp.code': code ? 'wrong_code' : 'required' });
  try {
    const verified = await c.rt.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: c.state.accessToken, UserCode: code }));
    if (verified.Status !== 'SUCCESS') return failed(c, 'totp-setup', { 'totp.code': 'wrong_code' });
    const user = await c.rt.cognito.send(new GetUserCommand({ AccessToken: c.state.accessToken }));
    const settings: SetUserMFAPreferenceCommandInput['SoftwareTokenMfaSettings'] = { Enabled: true };
    // The first factor becomes the preferred one; an existing preference is the person's choice.
    if (!user.PreferredMfaSetting) settings.PreferredMfa = true;
    await c.rt.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: c.state.accessToken, SoftwareTokenMfaSettings: settings }));
  } catch (e) {
    return poolFailed(c, e, { anchor: 'totp-setup', field: 'totp.code' });
  }
  delete c.state.totpSecret;
  await saveAccountState(c.rt, c.sessionId, c.state);
  return done(c, 'totp_enabled', 'mfa');
}

async function totpRemove(c: Ctx): Promise<HttpOut> {
  if (!field(c, 'totp.current')) return failed(c, 'mfa', { 'totp.current': 'required' });
  const wrong = await passwordError(c, 'totp.current');
  if (wrong) return failed(c, 'mfa', { 'totp.current': wrong });
  try {
    const [user, pool] = await Promise.all([
      c.rt.cognito.send(new GetUserCommand({ AccessToken: c.state.accessToken })),
      c.rt.directory.pool(c.client.UserPoolId),
    ]);
    if (!totpRemovalAllowed(pool, user)) return failed(c, 'mfa', { '': 'mfa_required' });
    await c.rt.cognito.send(
      new SetUserMFAPreferenceCommand({ AccessToken: c.state.accessToken, SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false } }),
    );
  } catch (e) {
    return poolFailed(c, e, { anchor: 'mfa', field: '' });
  }
  return done(c, 'totp_removed', 'mfa');
}

async function mfaPreferred(c: Ctx): Promise<HttpOut> {
  const chosen = field(c, 'mfa.preferred');
  try {
    const user = await c.rt.cognito.send(new GetUserCommand({ AccessToken: c.state.accessToken }));
    const factors = enabledFactors(user);
    if (!factors.includes(chosen as MfaFactor)) return failed(c, 'mfa', { 'mfa.preferred': chosen ? 'invalid_value' : 'required' });
    await c.rt.cognito.send(
      new SetUserMFAPreferenceCommand({ AccessToken: c.state.accessToken, [mfaSettingsKey(chosen as MfaFactor)]: { Enabled: true, PreferredMfa: true } }),
    );
  } catch (e) {
    return poolFailed(c, e, { anchor: 'mfa', field: 'mfa.preferred' });
  }
  return done(c, 'mfa_preferred', 'mfa');
}

async function signOutEverywhere(c: Ctx): Promise<HttpOut> {
  if (!field(c, 'signout.current')) return failed(c, 'signout', { 'signout.current': 'required' });
  const wrong = await passwordError(c, 'signout.current');
  if (wrong) return failed(c, 'signout', { 'signout.current': wrong });
  try {
    await c.rt.cognito.send(new GlobalSignOutCommand({ AccessToken: c.state.accessToken }));
  } catch (e) {
    return poolFailed(c, e, { anchor: 'signout', field: '' });
  }
  await destroySsoSession(c.rt, c.sessionId);
  const https = requestHttps(c.rt, c.req.headers);
  const out = redirect(accountUrl('/account/signed-out', c.params));
  out.cookies = [clearCookie(cookieNames(https).session, https)];
  return out;
}

/** New email or phone, its code, a new code, or giving up on the change. */
async function contact(c: Ctx, action: 'contact_change' | 'contact_verify' | 'contact_resend' | 'contact_cancel'): Promise<HttpOut> {
  const parsed = attributeSchema.safeParse(c.form.get('attribute'));
  if (!parsed.success) return done(c, undefined, 'main');
  const attr: ContactAttribute = parsed.data;
  switch (action) {
    case 'contact_change':
      return contactChange(c, attr);
    case 'contact_verify':
      return contactVerify(c, attr);
    case 'contact_resend':
      return contactResend(c, attr);
    case 'contact_cancel':
      if (c.state.pending) delete c.state.pending[attr];
      await saveAccountState(c.rt, c.sessionId, c.state);
      return done(c, 'change_cancelled', attr);
  }
}

function normaliseContact(attr: ContactAttribute, raw: string): string {
  const trimmed = raw.trim();
  return attr === 'phone_number' ? trimmed.replace(/[\s().-]/g, '') : trimmed;
}

async function contactChange(c: Ctx, attr: ContactAttribute): Promise<HttpOut> {
  const valueField = `${attr}.value`;
  const passwordField = `${attr}.current`;
  const raw = field(c, valueField);
  const value = normaliseContact(attr, raw);
  const values = { [valueField]: raw.slice(0, 2048) };
  const errors: Record<string, FormError> = {};
  if (!value) errors[valueField] = 'required';
  else if (value.length > (attr === 'email' ? 254 : 16)) errors[valueField] = attr === 'email' ? 'value_too_long' : 'invalid_phone';
  else if (attr === 'email' ? !EMAIL.test(value) : !PHONE.test(value)) errors[valueField] = attr === 'email' ? 'invalid_email' : 'invalid_phone';
  if (!field(c, passwordField)) errors[passwordField] = 'required';
  if (Object.keys(errors).length > 0) return failed(c, attr, errors, values);

  let sent: boolean;
  try {
    const [user, pool] = await Promise.all([c.rt.cognito.send(new GetUserCommand({ AccessToken: c.state.accessToken })), c.rt.directory.pool(c.client.UserPoolId)]);
    if (!contactChangeAllowed(pool, user, attr)) return failed(c, attr, { '': 'change_unavailable' }, values);
    const current = user.UserAttributes?.find((a) => a.Name === attr)?.Value;
    if (current === value) return failed(c, attr, { [valueField]: 'same_value' }, values);
    const wrong = await passwordError(c, passwordField);
    if (wrong) return failed(c, attr, { [passwordField]: wrong }, values);
    const guard = await allowCodeSend(c.rt, c.req);
    if (!guard.ok) return failed(c, attr, { [valueField]: 'send_limit' }, values);
    const out = await c.rt.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: c.state.accessToken,
        UserAttributes: [{ Name: attr, Value: value }],
        ClientMetadata: { 'portico:locale': c.locale },
      }),
    );
    sent = (out.CodeDeliveryDetailsList ?? []).some((d) => d.AttributeName === attr);
  } catch (e) {
    return poolFailed(c, e, { anchor: attr, field: valueField, values, sendsCode: true });
  }
  c.state.pending = { ...c.state.pending };
  if (sent) c.state.pending[attr] = { value, sentAt: c.rt.clock.now() };
  else delete c.state.pending[attr];
  await saveAccountState(c.rt, c.sessionId, c.state);
  return done(c, sent ? 'code_sent' : undefined, attr);
}

async function contactVerify(c: Ctx, attr: ContactAttribute): Promise<HttpOut> {
  const codeField = `${attr}.code`;
  const code = normaliseCode(c.form.get(codeField));
  if (!/^\d{6}$/.test(code)) return failed(c, attr, { [codeField]: code ? 'wrong_code' : 'required' });
  try {
    await c.rt.cognito.send(new VerifyUserAttributeCommand({ AccessToken: c.state.accessToken, AttributeName: attr, Code: code }));
  } catch (e) {
    return poolFailed(c, e, { anchor: attr, field: codeField });
  }
  if (c.state.pending) delete c.state.pending[attr];
  await saveAccountState(c.rt, c.sessionId, c.state);
  return done(c, attr === 'email' ? 'email_verified' : 'phone_number_verified', attr);
}

async function contactResend(c: Ctx, attr: ContactAttribute): Promise<HttpOut> {
  const codeField = `${attr}.code`;
  const now = c.rt.clock.now();
  const pending = c.state.pending?.[attr];
  if (pending && pending.sentAt + c.rt.settings.resendCooldown * 1000 > now) return failed(c, attr, { [codeField]: 'resend_cooldown' });
  let value: string | undefined;
  try {
    if (!pending) {
      // Verifying the current address: only an unverified one has anything to verify.
      const user = await c.rt.cognito.send(new GetUserCommand({ AccessToken: c.state.accessToken }));
      const attrs = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
      value = attrs[attr];
      if (!value || attrs[`${attr}_verified`] === 'true') return done(c, undefined, attr);
    }
    const guard = await allowCodeSend(c.rt, c.req);
    if (!guard.ok) return failed(c, attr, { [codeField]: 'send_limit' });
    await c.rt.cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: c.state.accessToken, AttributeName: attr, ClientMetadata: { 'portico:locale': c.locale } }),
    );
  } catch (e) {
    return poolFailed(c, e, { anchor: attr, field: codeField, sendsCode: true });
  }
  c.state.pending = { ...c.state.pending, [attr]: { value: pending?.value ?? value!, sentAt: now } };
  await saveAccountState(c.rt, c.sessionId, c.state);
  return done(c, 'code_sent', attr);
}
