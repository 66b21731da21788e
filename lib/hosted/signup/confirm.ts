import { logger } from '../../observability/logger';
import { ConfirmSignUpCommand, ResendConfirmationCodeCommand, type UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { z } from 'zod';
import type { HostedRuntime } from '../runtime';
import { formFields, html, redirect, type HttpIn, type HttpOut } from '../http';
import { createTransaction, extendTransaction, newBrowserId, saveTransaction } from '../transactions';
import { browserIdOf, openPost } from '../post';
import { appClientOf, hintsOf, secretHashParams, toErrorPage } from '../dialogue';
import { FLASH_PARAM, saveFlash, type Flash } from '../flash';
import { mapPoolError, type FormError } from '../form-errors';
import { allowCodeSend } from '../send-guard';
import { stepUrl } from '../routes';
import { localeOf } from '../locale';
import { csrfValid } from '../csrf';
import { cookieNames, setCookie } from '../cookies';
import { hostedErrorResponse } from '../error-response';
import { hit } from '../../security/rate-limit';
import { normaliseCode } from '../challenges';
import { cooldownLeft, deletePendingFor, findPendingFor, loadPending, markSent, PENDING_PARAM, sameBrowser, type PendingSignup } from './pending';
import { continueAfterConfirmation } from './continue';
import { SELF_SERVICE_TTL_MS } from './sign-up';
import { requestHttps } from '../../domains/hosted';

/**
 * `/confirmUser`: the sign-up confirmation, three ways in.
 * - `?p=<pending>` (the browser that signed up): code, or a new code after the cooldown.
 * - `?tx=` alone (from the sign-in page after "not confirmed"): username, code, new code.
 * - The emailed link `GET ?client_id&user_name&confirmation_code` (reference §2), which confirms on GET
 *   as Cognito's does, from any browser.
 * A confirmed account continues the authorization request kept with the pending sign-up.
 */
export const CODE = /^\d{6}$/;
/** The CSRF "transaction" of a form bound to a pending sign-up or to a link (no transaction there). */
export const pendingCsrfId = (p: string) => `pending.${p}`;
export const linkCsrfId = (clientId: string, username: string) => `link.${clientId}.${username}`;

type Mode =
  | { kind: 'pending'; pending: PendingSignup; txId?: string }
  | { kind: 'tx' }
  | { kind: 'link'; clientId: string; username: string };

function pageUrl(req: HttpIn, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  const hints = hintsOf(req);
  for (const [k, v] of Object.entries({ ...params, lang: hints.lang, ui_locales: hints.uiLocales })) if (v !== undefined) q.set(k, v);
  return `/confirmUser?${q.toString()}`;
}

function pendingUrl(req: HttpIn, p: string, txId: string | undefined, extra: Record<string, string | undefined> = {}): string {
  return pageUrl(req, { tx: txId, [PENDING_PARAM]: p, ...extra });
}

function isAlreadyConfirmed(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  const message = (e as { message?: string })?.message ?? '';
  return (name === 'NotAuthorizedException' && /current status is (?!UNCONFIRMED)/i.test(message)) || (name === 'InvalidParameterException' && /already confirmed/i.test(message));
}

/** A pool error on a confirmation form, as the form error to show. */
function confirmError(e: unknown): FormError {
  const name = (e as { name?: string })?.name ?? '';
  if (name === 'ExpiredCodeException') return 'code_expired_resend';
  if (name === 'LimitExceededException') return 'send_limit';
  if (name === 'UserNotFoundException') return 'wrong_code';
  const mapped = mapPoolError(e);
  if (!mapped.expected) logger().error({ error: name }, 'hosted confirmation failed');
  return mapped.code === 'wrong_credentials' ? 'wrong_code' : mapped.code;
}

async function confirm(rt: HostedRuntime, client: UserPoolClientType, username: string, code: string, session?: string) {
  return rt.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: client.ClientId!,
      Username: username,
      ConfirmationCode: code,
      ...(client.ClientSecret ? { SecretHash: secretHashParams(client, username)['SECRET_HASH'] } : {}),
      ...(session ? { Session: session } : {}),
    }),
  );
}

/** Sends a new code, after the per-IP cap; true when it went. */
async function resend(rt: HostedRuntime, req: HttpIn, client: UserPoolClientType, username: string): Promise<FormError | undefined> {
  const allowed = await allowCodeSend(rt, req);
  if (!allowed.ok) return 'send_limit';
  try {
    await rt.cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: client.ClientId!,
        Username: username,
        ...(client.ClientSecret ? { SecretHash: secretHashParams(client, username)['SECRET_HASH'] } : {}),
        ClientMetadata: { 'portico:locale': localeOf(req) },
      }),
    );
    return undefined;
  } catch (e) {
    if (isAlreadyConfirmed(e)) return 'already_confirmed';
    // An unknown name gets the same answer as a known one (no account enumeration).
    if ((e as { name?: string })?.name === 'UserNotFoundException') return undefined;
    return confirmError(e);
  }
}

/** A server-side cooldown for forms without a pending sign-up (its last_sent_at is the other one). */
async function cooldownOk(rt: HostedRuntime, clientId: string, username: string): Promise<boolean> {
  const ms = rt.settings.resendCooldown * 1000;
  if (ms <= 0) return true;
  const verdict = await hit(rt.db, `hosted-resend:${clientId}:${username.toLowerCase()}`, { limit: 1, windowMs: ms }, rt.clock.now());
  return verdict.ok;
}

const PostedCode = z.object({ action: z.enum(['confirm', 'resend']).catch('confirm'), code: z.string().max(64).catch('') });
const PostedUsername = z.string().trim().min(1).max(128);

async function flashBack(rt: HostedRuntime, browserId: string, location: (f: string) => string, flash: Flash): Promise<HttpOut> {
  const id = await saveFlash(rt, browserId, flash);
  return redirect(location(id));
}

/** `POST /confirmUser?p=…`: the browser that signed up. */
async function postPending(rt: HostedRuntime, req: HttpIn, form: URLSearchParams, browserId: string, mode: Extract<Mode, { kind: 'pending' }>, p: string): Promise<HttpOut> {
  const { pending } = mode;
  const client = await appClientOf(rt, pending.data.request);
  if (!client?.ClientId) return toErrorPage(req, 'invalid_client');
  const posted = PostedCode.parse({ action: form.get('action') ?? undefined, code: form.get('code') ?? '' });
  const back = (flash: Flash) => flashBack(rt, browserId, (f) => pendingUrl(req, p, mode.txId, { [FLASH_PARAM]: f }), flash);
  if (posted.action === 'resend') {
    if (cooldownLeft(rt, pending.lastSentAt) > 0) return back({ values: {}, errors: { '': 'resend_cooldown' } });
    const failed = await resend(rt, req, client, pending.username);
    if (failed === 'already_confirmed') return finish(rt, req, browserId, pending, mode.txId, undefined);
    if (failed) return back({ values: {}, errors: { '': failed } });
    await markSent(rt, pending);
    return redirect(pendingUrl(req, p, mode.txId, { sent: '1' }));
  }
  const code = normaliseCode(posted.code);
  if (!CODE.test(code)) return back({ values: {}, errors: { code: code ? 'wrong_code' : 'required' } });
  let session: string | undefined;
  try {
    session = (await confirm(rt, client, pending.username, code, pending.data.session)).Session;
  } catch (e) {
    if (!isAlreadyConfirmed(e)) return back({ values: {}, errors: { code: confirmError(e) } });
  }
  return finish(rt, req, browserId, pending, mode.txId, session);
}

async function finish(rt: HostedRuntime, req: HttpIn, browserId: string, pending: PendingSignup, txId: string | undefined, session: string | undefined): Promise<HttpOut> {
  await deletePendingFor(rt, pending.clientId, pending.username);
  return continueAfterConfirmation(rt, req, {
    browserId,
    request: pending.data.request,
    typedUsername: pending.data.typedUsername,
    username: pending.username,
    session,
    txId: txId ?? pending.data.txId,
  });
}

/** `POST /confirmUser?tx=…` (no pending sign-up): username and code, from the sign-in page. */
async function postTransaction(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const opened = await openPost(rt, req, '/confirmUser');
  if (!opened.ok) return opened.out;
  const { tx, form, browserId } = opened;
  await extendTransaction(rt, tx, SELF_SERVICE_TTL_MS);
  const client = await appClientOf(rt, tx.state.request);
  if (!client?.ClientId) return toErrorPage(req, 'invalid_client');
  const posted = PostedCode.parse({ action: form.get('action') ?? undefined, code: form.get('code') ?? '' });
  const typed = PostedUsername.safeParse(form.get('username') ?? '');
  const rawUsername = (form.get('username') ?? '').slice(0, 256);
  const back = (errors: Flash['errors']) =>
    flashBack(rt, browserId, (f) => stepUrl('/confirmUser', tx.id, hintsOf(req), { [FLASH_PARAM]: f }), { values: { username: rawUsername }, errors });
  if (!typed.success) return back({ username: rawUsername.trim() ? 'value_too_long' : 'required' });
  const username = typed.data;
  tx.state.typedUsername = username;
  await saveTransaction(rt, tx);
  if (posted.action === 'resend') {
    if (!(await cooldownOk(rt, client.ClientId, username))) return back({ '': 'resend_cooldown' });
    const failed = await resend(rt, req, client, username);
    if (failed) return back({ [failed === 'already_confirmed' ? 'username' : '']: failed });
    return redirect(stepUrl('/confirmUser', tx.id, hintsOf(req), { sent: '1' }));
  }
  const code = normaliseCode(posted.code);
  if (!CODE.test(code)) return back({ code: code ? 'wrong_code' : 'required' });
  try {
    await confirm(rt, client, username, code);
  } catch (e) {
    if (!isAlreadyConfirmed(e)) return back({ code: confirmError(e) });
  }
  tx.state = { request: tx.state.request, step: 'login', typedUsername: username, notice: 'account_confirmed' };
  await saveTransaction(rt, tx);
  return redirect(stepUrl('/login', tx.id, hintsOf(req)));
}

/** `POST /confirmUser?client_id&user_name` after a failed link without a pending sign-up: a new code. */
async function postLink(rt: HostedRuntime, req: HttpIn, form: URLSearchParams, browserId: string | undefined, clientId: string, username: string): Promise<HttpOut> {
  if (!csrfValid(rt, browserId, linkCsrfId(clientId, username), form.get('csrf'))) return hostedErrorResponse(req, 403, 'csrf');
  const client = await rt.directory.appClient(clientId).catch(() => undefined);
  if (!client?.ClientId) return hostedErrorResponse(req, 400, 'invalid_client');
  const failed = (await cooldownOk(rt, clientId, username)) ? await resend(rt, req, client, username) : 'resend_cooldown';
  return redirect(pageUrl(req, { client_id: clientId, user_name: username, ...(failed ? { failed } : { sent: '1' }) }));
}

export async function handleConfirmUser(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  if (req.method === 'GET' || req.method === 'HEAD') return handleConfirmLink(rt, req);
  if (req.method !== 'POST') return hostedErrorResponse(req, 405, 'method_not_allowed', { allow: 'GET, POST' });
  const form = formFields(req);
  const q = req.url.searchParams;
  const browserId = browserIdOf(rt, req);
  const p = q.get(PENDING_PARAM);
  if (p) {
    const pending = await loadPending(rt, p, browserId);
    if (pending && browserId) {
      if (!csrfValid(rt, browserId, pendingCsrfId(p), form.get('csrf'))) return hostedErrorResponse(req, 403, 'csrf');
      return postPending(rt, req, form, browserId, { kind: 'pending', pending, txId: q.get('tx') ?? undefined }, p);
    }
    if (!q.get('tx')) return toErrorPage(req, 'expired');
  }
  if (q.get('tx')) return postTransaction(rt, req);
  const link = LinkAccount.safeParse({ client_id: q.get('client_id'), user_name: q.get('user_name') });
  if (link.success) return postLink(rt, req, form, browserId, link.data.client_id, link.data.user_name);
  return toErrorPage(req, 'expired');
}

const LinkAccount = z.object({ client_id: z.string().min(1).max(128).regex(/^[\w+]+$/), user_name: z.string().min(1).max(128) });
const LinkQuery = LinkAccount.extend({ confirmation_code: z.string().min(1).max(64) });

/**
 * `GET /confirmUser?client_id&user_name&confirmation_code`: confirms (as Cognito's link does). The
 * browser that signed up is signed in; another browser (or one without Portico's cookie, which gets
 * one) continues the same authorization request at the sign-in form; without a pending sign-up (signed
 * up through the API) a page says the account is confirmed. A mail scanner that opened the link first
 * leaves an already-confirmed account, which counts as success.
 */
export async function handleConfirmLink(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  // HEAD (link checkers, previews) must not confirm.
  if (req.method === 'HEAD') return html(200, '');
  const q = req.url.searchParams;
  const parsed = LinkQuery.safeParse({ client_id: q.get('client_id'), user_name: q.get('user_name'), confirmation_code: q.get('confirmation_code') });
  if (!parsed.success) return hostedErrorResponse(req, 400, 'invalid_request');
  const { client_id: clientId, user_name: username } = parsed.data;
  const client = await rt.directory.appClient(clientId).catch(() => undefined);
  if (!client?.ClientId) return hostedErrorResponse(req, 400, 'invalid_client');

  const https = requestHttps(rt, req.headers);
  const cookies: string[] = [];
  let browserId = browserIdOf(rt, req);
  if (!browserId || browserId.length > 64) {
    browserId = newBrowserId();
    cookies.push(setCookie(cookieNames(https).browser, browserId, { https }));
  }
  const pending = await findPendingFor(rt, clientId, username);
  const same = !!pending && sameBrowser(pending, browserId);
  const code = normaliseCode(parsed.data.confirmation_code);
  let session: string | undefined;
  let failure: FormError | undefined;
  if (!CODE.test(code)) failure = 'wrong_code';
  else {
    try {
      session = (await confirm(rt, client, username, code, same ? pending.data.session : undefined)).Session;
    } catch (e) {
      if (!isAlreadyConfirmed(e)) failure = confirmError(e);
    }
  }
  const withCookies = (out: HttpOut) => {
    if (cookies.length > 0) out.cookies = [...(out.cookies ?? []), ...cookies];
    return out;
  };
  if (!pending) {
    return withCookies(redirect(pageUrl(req, failure ? { client_id: clientId, user_name: username, failed: failure } : { done: '1' })));
  }
  if (failure) {
    // The person can ask for a new code on the transaction's form, their name filled in.
    const tx = await createTransaction(rt, browserId, { request: pending.data.request, step: 'login', typedUsername: pending.data.typedUsername });
    await extendTransaction(rt, tx, SELF_SERVICE_TTL_MS);
    return withCookies(redirect(stepUrl('/confirmUser', tx.id, pending.data.request, { error: failure })));
  }
  if (same) {
    await deletePendingFor(rt, clientId, username);
  } else {
    // Opened elsewhere (perhaps a mail scanner): the browser that signed up can still continue for a while.
    await shortenPending(rt, clientId, username);
  }
  return continueAfterConfirmation(rt, req, {
    browserId,
    request: pending.data.request,
    typedUsername: pending.data.typedUsername,
    username,
    session: same ? session : undefined,
    txId: same ? pending.data.txId : undefined,
    cookies,
  });
}

const AFTER_LINK_MS = 3_600_000;

async function shortenPending(rt: HostedRuntime, clientId: string, username: string): Promise<void> {
  const until = rt.clock.now() + AFTER_LINK_MS;
  await rt.db
    .updateTable('pending_signups')
    .set({ expires_at: until })
    .where('client_id', '=', clientId)
    .where('username', '=', username)
    .where('expires_at', '>', until)
    .execute();
}
