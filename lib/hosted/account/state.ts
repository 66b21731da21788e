import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../runtime';
import type { SsoSession } from '../sso-session';
import { sha256Base64Url } from '../../crypto/secretbox';
import type { AccountSignInRequest } from './request';

/**
 * What the account page keeps on the hosted session (hosted_sessions.account_enc, sealed): the access
 * token of the account sign-in and when it happened, plus the page's own work in progress — a TOTP
 * secret waiting for its first code, a new email or phone waiting for its code. Only the access token
 * is kept: the self-service operations need nothing else, and a refresh token here would outlive the
 * 15-minute window it exists for.
 */
const PURPOSE = 'hosted-account';
/** "Recent authentication": how long an account sign-in allows changes without signing in again. */
export const RECENT_AUTH_MS = 15 * 60_000;
/** An access token this close to its expiry is treated as expired (a form takes a while to post). */
const EXPIRY_MARGIN_MS = 30_000;

export type ContactAttribute = 'email' | 'phone_number';
export const CONTACT_ATTRIBUTES: readonly ContactAttribute[] = ['email', 'phone_number'];

export interface PendingContact {
  /** The value the code was sent to (the new one, or the current unverified one). */
  value: string;
  /** When the last code was sent (ms), for the resend cooldown. */
  sentAt: number;
}

export interface AccountState {
  clientId: string;
  accessToken: string;
  /** ms */
  expiresAt: number;
  /** ms: the account sign-in. */
  authAt: number;
  totpSecret?: string;
  pending?: Partial<Record<ContactAttribute, PendingContact>>;
}

export async function loadAccountState(rt: HostedRuntime, session: SsoSession): Promise<AccountState | undefined> {
  const row = await rt.db.selectFrom('hosted_sessions').select('account_enc').where('id', '=', sha256Base64Url(session.id)).executeTakeFirst();
  if (!row?.account_enc) return undefined;
  try {
    return JSON.parse(rt.box.openText(row.account_enc, PURPOSE)) as AccountState;
  } catch {
    return undefined;
  }
}

export async function saveAccountState(rt: HostedRuntime, sessionId: string, state: AccountState | null): Promise<void> {
  await rt.db
    .updateTable('hosted_sessions')
    .set({ account_enc: state ? rt.box.seal(JSON.stringify(state), PURPOSE) : null })
    .where('id', '=', sha256Base64Url(sessionId))
    .execute();
}

/** Whether the state still allows changes for `clientId` at `now`: recent sign-in, live token, same app. */
export function accountUsable(state: AccountState | undefined, clientId: string, now: number): state is AccountState {
  if (!state || state.clientId !== clientId) return false;
  return state.authAt + RECENT_AUTH_MS > now && state.expiresAt - EXPIRY_MARGIN_MS > now;
}

/**
 * complete() for an account sign-in: the new hosted session gets the pool's access token, and the
 * browser goes back to the account page instead of to an app.
 */
export async function keepAccountTokens(rt: HostedRuntime, session: SsoSession, request: AccountSignInRequest, result: AuthenticationResultType): Promise<string> {
  const now = rt.clock.now();
  await saveAccountState(rt, session.id, {
    clientId: request.clientId,
    accessToken: result.AccessToken!,
    expiresAt: now + (result.ExpiresIn ?? 3600) * 1000,
    authAt: now,
  });
  return request.redirectUri;
}
