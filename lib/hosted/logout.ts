import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from './runtime';
import { html, redirect, formFields, type HttpIn, type HttpOut } from './http';
import { clearCookie, cookieNames, setCookie } from './cookies';
import { csrfToken, csrfValid } from './csrf';
import { localeOf } from './locale';
import { destroySsoSession, loadSsoSession, type SsoSession } from './sso-session';
import { newBrowserId } from './transactions';
import { verifyLogoutHint, type LogoutHint } from './logout-hint';
import { confirmLogoutPage, refusedLogoutPage, signedOutPage } from './logout-page';
import { translator } from '../i18n/translate';
import { NONCE_HEADER } from '../security/markers';
import { requestHttps } from '../domains/hosted';
import { requestTheme } from '../branding/hosted-theme';
import type { PageTheme } from '../branding/page-theme';
import type { Translator } from '../i18n/translate';

/**
 * `/logout` (reference §1.5, security checklist §12, ARCHITECTURE.md "Where Cognito and the security
 * checklist differ"). Three ways to leave with a redirect, each only to an exactly registered address:
 *
 * - Cognito, mode A: `client_id` + `logout_uri` ∈ the client's LogoutURLs → 302 there.
 * - Cognito, mode B: `client_id` + `redirect_uri` ∈ CallbackURLs + `response_type` → the sign-in again.
 * - OIDC RP-initiated: a valid `id_token_hint` (+ `post_logout_redirect_uri` ∈ the hint's client's
 *   LogoutURLs, `state` echoed; `client_id`, when sent, equal to the hint's `aud`).
 *
 * Each ends the hosted session on the server (the record, not only the cookie). Anything else — no
 * target, an unregistered or altered one, a bad hint — gets a confirmation page whose POST (CSRF token
 * bound to the browser cookie; proxy.ts checks the Origin) signs out and shows "signed out". A page or
 * image on another site therefore cannot sign anyone out, and nothing redirects to an unregistered URI.
 * Tokens already issued stay valid, as in Cognito (apps revoke them through /oauth2/revoke).
 */
const CSRF_SCOPE = 'logout';
const LOGOUT_PARAMS = [
  'client_id',
  'logout_uri',
  'redirect_uri',
  'response_type',
  'id_token_hint',
  'post_logout_redirect_uri',
  'state',
] as const;
/** Passed on to /oauth2/authorize in mode B ("sign in as someone else"). */
const REAUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'lang',
  'ui_locales',
] as const;

export type LogoutDecision =
  /** End the session (of `poolId`) and go to `location`. */
  | { kind: 'redirect'; poolId: string; location: string }
  /** A valid hint without a return address: end the session and say so. */
  | { kind: 'signed-out'; poolId: string; clientId?: string }
  | { kind: 'confirm'; targetRefused: boolean };

/** The request's site decides `Secure` / `__Host-` (lib/domains). */
function https(rt: HostedRuntime, req: HttpIn): boolean {
  return requestHttps(rt, req.headers);
}

function nonceOf(req: HttpIn): string | undefined {
  return req.headers.get(NONCE_HEADER) ?? undefined;
}

/** `?lang=…&ui_locales=…&client_id=…` of the request, so the pages that follow keep its language and theme. */
function languageQuery(req: HttpIn): string {
  const out = new URLSearchParams();
  for (const name of ['lang', 'ui_locales']) {
    const v = req.url.searchParams.get(name);
    if (v !== null && v.length <= 64) out.set(name, v);
  }
  const clientId = req.url.searchParams.get('client_id');
  if (clientId !== null && /^[\w+]{1,128}$/.test(clientId)) out.set('client_id', clientId);
  const text = out.toString();
  return text ? `?${text}` : '';
}

function hasDuplicates(q: URLSearchParams): boolean {
  return [...LOGOUT_PARAMS, ...REAUTHORIZE_PARAMS].some((name) => q.getAll(name).length > 1);
}

async function clientOf(rt: HostedRuntime, clientId: string | null | undefined): Promise<UserPoolClientType | undefined> {
  if (!clientId || clientId.length > 128) return undefined;
  return rt.directory.appClient(clientId);
}

function withState(uri: string, state: string | null): string {
  if (state === null) return uri;
  const url = new URL(uri);
  url.searchParams.append('state', state);
  return url.toString();
}

async function decideWithHint(rt: HostedRuntime, q: URLSearchParams, hint: LogoutHint, session: SsoSession | undefined): Promise<LogoutDecision> {
  const clientId = q.get('client_id');
  if (clientId !== null && clientId !== hint.clientId) return { kind: 'confirm', targetRefused: true };
  // The hint names someone else than the person signed in here: let them decide.
  if (session && session.data.poolId === hint.poolId && session.data.sub !== hint.sub) {
    return { kind: 'confirm', targetRefused: q.has('post_logout_redirect_uri') };
  }
  const target = q.get('post_logout_redirect_uri');
  if (target === null) return { kind: 'signed-out', poolId: hint.poolId, clientId: hint.clientId };
  const client = await clientOf(rt, hint.clientId);
  if (!client || client.UserPoolId !== hint.poolId || !(client.LogoutURLs ?? []).includes(target)) {
    return { kind: 'confirm', targetRefused: true };
  }
  return { kind: 'redirect', poolId: hint.poolId, location: withState(target, q.get('state')) };
}

/** What a GET /logout asks for, decided from the request and the pool's registrations alone. */
export async function decideLogout(rt: HostedRuntime, q: URLSearchParams, session: SsoSession | undefined): Promise<LogoutDecision> {
  if (hasDuplicates(q)) return { kind: 'confirm', targetRefused: q.has('logout_uri') || q.has('post_logout_redirect_uri') || q.has('redirect_uri') };

  const logoutUri = q.get('logout_uri');
  if (logoutUri !== null) {
    const client = await clientOf(rt, q.get('client_id'));
    if (client?.UserPoolId && (client.LogoutURLs ?? []).includes(logoutUri)) {
      return { kind: 'redirect', poolId: client.UserPoolId, location: logoutUri };
    }
    return { kind: 'confirm', targetRefused: true };
  }

  const redirectUri = q.get('redirect_uri');
  if (redirectUri !== null) {
    const client = await clientOf(rt, q.get('client_id'));
    if (client?.UserPoolId && q.get('response_type') && (client.CallbackURLs ?? []).includes(redirectUri)) {
      const again = new URLSearchParams();
      for (const name of REAUTHORIZE_PARAMS) {
        const v = q.get(name);
        if (v !== null) again.set(name, v);
      }
      return { kind: 'redirect', poolId: client.UserPoolId, location: `/oauth2/authorize?${again.toString()}` };
    }
    return { kind: 'confirm', targetRefused: true };
  }

  const hint = await verifyLogoutHint(rt, q.get('id_token_hint') ?? undefined);
  if (hint) return decideWithHint(rt, q, hint, session);
  return { kind: 'confirm', targetRefused: q.has('post_logout_redirect_uri') };
}

/** Ends the hosted session on the server when it belongs to `poolId` (every pool when undefined). */
async function endSession(rt: HostedRuntime, req: HttpIn, session: SsoSession | undefined, poolId: string | undefined): Promise<string[]> {
  if (!session || (poolId !== undefined && session.data.poolId !== poolId)) return [];
  await destroySsoSession(rt, session.id);
  return [clearCookie(cookieNames(https(rt, req)).session, https(rt, req))];
}

async function currentSession(rt: HostedRuntime, req: HttpIn): Promise<SsoSession | undefined> {
  return loadSsoSession(rt, req.cookies[cookieNames(https(rt, req)).session]);
}

/** The named app's theme (or the custom domain's default client's); Portico's own if anything fails. */
function themeOf(rt: HostedRuntime, req: HttpIn, clientId: string | null | undefined, tr: Translator): Promise<PageTheme | undefined> {
  return requestTheme(rt, req.headers, clientId ?? undefined, tr).catch(() => undefined);
}

async function signedOut(rt: HostedRuntime, req: HttpIn, cookies: string[], clientId?: string): Promise<HttpOut> {
  const tr = translator(localeOf(req), ['logout', 'common']);
  const theme = await themeOf(rt, req, clientId ?? req.url.searchParams.get('client_id'), tr);
  return { ...html(200, signedOutPage(tr, nonceOf(req), theme)), cookies };
}

/** GET /logout. */
export async function logoutRequest(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const session = await currentSession(rt, req);
  const decision = await decideLogout(rt, req.url.searchParams, session);
  if (decision.kind === 'redirect') {
    const out = redirect(decision.location, 302);
    return { ...out, cookies: await endSession(rt, req, session, decision.poolId) };
  }
  if (decision.kind === 'signed-out') return signedOut(rt, req, await endSession(rt, req, session, decision.poolId), decision.clientId);

  const names = cookieNames(https(rt, req));
  const cookies: string[] = [];
  let browserId = req.cookies[names.browser];
  if (!browserId) {
    browserId = newBrowserId();
    cookies.push(setCookie(names.browser, browserId, { https: https(rt, req) }));
  }
  const tr = translator(localeOf(req), ['logout', 'common']);
  const page = confirmLogoutPage(tr, {
    csrf: csrfToken(rt, browserId, CSRF_SCOPE),
    action: `/logout${languageQuery(req)}`,
    targetRefused: decision.targetRefused,
    nonce: nonceOf(req),
    theme: await themeOf(rt, req, req.url.searchParams.get('client_id'), tr),
  });
  return { ...html(200, page), cookies };
}

/** POST /logout: the confirmation form. */
export async function logoutConfirm(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const names = cookieNames(https(rt, req));
  const form = formFields(req);
  const tokens = form.getAll('csrf');
  if (tokens.length !== 1 || !csrfValid(rt, req.cookies[names.browser], CSRF_SCOPE, tokens[0])) {
    const tr = translator(localeOf(req), ['logout', 'common']);
    return html(403, refusedLogoutPage(tr, nonceOf(req)));
  }
  const cookies = await endSession(rt, req, await currentSession(rt, req), undefined);
  return { ...redirect(`/logout/done${languageQuery(req)}`, 303), cookies };
}

/** GET /logout/done: where the confirmation lands (303 after the POST). */
export function loggedOut(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  return signedOut(rt, req, []);
}
