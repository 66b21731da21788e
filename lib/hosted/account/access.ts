import type { HostedRuntime } from '../runtime';
import { cookieNames } from '../cookies';
import { csrfToken, csrfValid } from '../csrf';
import { loadSsoSession, type SsoSession } from '../sso-session';
import { sha256Base64Url } from '../../crypto/secretbox';
import { accountClientOf, carried, type AccountClient, type AccountParams } from './entry';
import { accountUsable, loadAccountState, type AccountState } from './state';
import { requestHttps } from '../../domains/hosted';

/**
 * Who may use the account page: a browser with the hosted SSO session of the client's pool and a
 * recent account sign-in for that client (state.ts). Checked on every page view and every action.
 */
export type AccountAccess =
  | { ok: true; session: SsoSession; state: AccountState; account: AccountClient; params: AccountParams; browserId: string }
  | { ok: false; reason: 'client' | 'signin'; params: AccountParams; account?: AccountClient };

export interface AccountCookies {
  browser?: string;
  session?: string;
}

export function accountCookiesOf(rt: HostedRuntime, jar: (name: string) => string | undefined, headers?: { get(name: string): string | null }): AccountCookies {
  const names = cookieNames(headers ? requestHttps(rt, headers) : rt.settings.publicUrl.startsWith('https://'));
  return { browser: jar(names.browser) || undefined, session: jar(names.session) || undefined };
}

export async function openAccount(rt: HostedRuntime, params: AccountParams, cookies: AccountCookies): Promise<AccountAccess> {
  const account = await accountClientOf(rt, params);
  if (!account) return { ok: false, reason: 'client', params };
  const p = carried(params, account);
  const session = await loadSsoSession(rt, cookies.session);
  if (!session || session.data.poolId !== account.client.UserPoolId || !cookies.browser || cookies.browser.length > 64) {
    return { ok: false, reason: 'signin', params: p, account };
  }
  const state = await loadAccountState(rt, session);
  if (!accountUsable(state, account.client.ClientId, rt.clock.now())) return { ok: false, reason: 'signin', params: p, account };
  return { ok: true, session, state, account, params: p, browserId: cookies.browser };
}

/** The account forms' CSRF token: bound to the browser cookie and to this hosted session. */
export function accountCsrf(rt: HostedRuntime, browserId: string, session: SsoSession): string {
  return csrfToken(rt, browserId, `account:${sha256Base64Url(session.id)}`);
}

export function accountCsrfValid(rt: HostedRuntime, browserId: string, session: SsoSession, token: string | null): boolean {
  return csrfValid(rt, browserId, `account:${sha256Base64Url(session.id)}`, token);
}
