import { annotateRequest } from '../observability/context';
import { randomToken } from '../crypto/random';
import type { HostedRuntime } from './runtime';
import type { AuthorizeRequest } from '../oauth/types';
import { sha256Base64Url } from '../crypto/secretbox';
import { safeEqual } from '../crypto/compare';
import { prepared, type Write } from '../db/prepared';
import type { Db } from '../db';

/**
 * The sign-in transaction: a server-side record (sealed at rest) holding the authorization request and
 * the state of the challenge dialogue with the pool (Cognito Session, SRP, username). The browser only
 * sees its id (in the page URL and forms) and is bound to it through the httpOnly browser cookie, so a
 * transaction id replayed from another browser is refused. Lifetime 5 minutes, as Cognito's.
 */
export const TRANSACTION_TTL_MS = 5 * 60_000;
const PURPOSE = 'hosted-transaction';

export type Step =
  | 'login'
  | 'NEW_PASSWORD_REQUIRED'
  | 'SOFTWARE_TOKEN_MFA'
  | 'SMS_MFA'
  | 'EMAIL_OTP'
  | 'SELECT_MFA_TYPE'
  | 'MFA_SETUP'
  | 'MFA_SETUP_TOTP';

export interface TransactionState {
  request: AuthorizeRequest;
  step: Step;
  /** Username as the pool knows it (USER_ID_FOR_SRP / ChallengeParameters.USERNAME). */
  username?: string;
  /** What the person typed (for SECRET_HASH variants and to refill the form). */
  typedUsername?: string;
  /** The Cognito Session of the current challenge; never leaves the server. */
  session?: string;
  challengeParameters?: Record<string, string>;
  /** TOTP enrolment secret shown on the MFA_SETUP page. */
  totpSecret?: string;
  /** Translated error code to show on the current step. */
  error?: string;
  /** Password reset in progress (issue 4): who asked, and where the code went (masked). */
  recovery?: { username: string; destination?: string; medium?: string };
  /**
   * A one-line notice for the sign-in page after a self-service step (`account_confirmed`,
   * `password_reset`), a key of `hosted:notice.*`.
   */
  notice?: 'account_confirmed' | 'password_reset';
}

export interface Transaction {
  id: string;
  state: TransactionState;
  expiresAt: number;
}

export function newBrowserId(): string {
  return randomToken(32);
}

const insertTransaction = prepared((db: Db, id: string, browser: string, dataEnc: string, now: number, expiresAt: number) =>
  db.insertInto('hosted_transactions').values({ id, browser, data_enc: dataEnc, created_at: now, expires_at: expiresAt }),
);
const transactionById = prepared((db: Db, id: string) => db.selectFrom('hosted_transactions').selectAll().where('id', '=', id));
const deleteTransaction = prepared((db: Db, id: string) => db.deleteFrom('hosted_transactions').where('id', '=', id));

export async function createTransaction(rt: HostedRuntime, browserId: string, state: TransactionState): Promise<Transaction> {
  const id = randomToken(24);
  const now = rt.clock.now();
  const expiresAt = now + TRANSACTION_TTL_MS;
  await insertTransaction.run(rt.db, sha256Base64Url(id), sha256Base64Url(browserId), rt.box.seal(JSON.stringify(state), PURPOSE), now, expiresAt);
  return { id, state, expiresAt };
}

export type TransactionLookup = { ok: true; tx: Transaction } | { ok: false; reason: 'missing' | 'expired' | 'browser' };

export async function loadTransaction(rt: HostedRuntime, id: string | undefined, browserId: string | undefined): Promise<TransactionLookup> {
  if (!id || !browserId || id.length > 64) return { ok: false, reason: 'missing' };
  const row = await transactionById.first(rt.db, sha256Base64Url(id));
  if (!row) return { ok: false, reason: 'missing' };
  if (!safeEqual(row.browser, sha256Base64Url(browserId))) return { ok: false, reason: 'browser' };
  if (Number(row.expires_at) <= rt.clock.now()) return { ok: false, reason: 'expired' };
  const state = JSON.parse(rt.box.openText(row.data_enc, PURPOSE)) as TransactionState;
  // The request log line of a hosted page names the client it signs in to (its URL carries only tx).
  annotateRequest({ clientId: state.request.clientId, poolId: state.request.poolId });
  return { ok: true, tx: { id, state, expiresAt: Number(row.expires_at) } };
}

/**
 * The state of a live transaction without the browser binding, for decisions that depend only on which
 * client it belongs to (the frame policy of its pages); never for acting on it.
 */
export async function peekTransaction(rt: HostedRuntime, id: string | undefined): Promise<TransactionState | undefined> {
  if (!id || id.length > 64) return undefined;
  const row = await rt.db.selectFrom('hosted_transactions').select(['data_enc', 'expires_at']).where('id', '=', sha256Base64Url(id)).executeTakeFirst();
  if (!row || Number(row.expires_at) <= rt.clock.now()) return undefined;
  return JSON.parse(rt.box.openText(row.data_enc, PURPOSE)) as TransactionState;
}

export async function saveTransaction(rt: HostedRuntime, tx: Transaction): Promise<void> {
  await rt.db
    .updateTable('hosted_transactions')
    .set({ data_enc: rt.box.seal(JSON.stringify(tx.state), PURPOSE) })
    .where('id', '=', sha256Base64Url(tx.id))
    .execute();
}

/**
 * Ends the transaction, as the first write of a batch (writeAll): of two completions only the one that
 * removes it stores anything; the other's batch fails with NothingToClaim.
 */
export function endTransactionWrite(id: string): Write {
  return deleteTransaction.claim(sha256Base64Url(id));
}

/**
 * Gives the transaction more time: self-service forms (sign-up, password reset) take longer to fill in
 * than the 5-minute sign-in window. Never shortens it.
 */
export async function extendTransaction(rt: HostedRuntime, tx: Transaction, ttlMs: number): Promise<void> {
  const expiresAt = rt.clock.now() + ttlMs;
  if (expiresAt <= tx.expiresAt) return;
  tx.expiresAt = expiresAt;
  await rt.db.updateTable('hosted_transactions').set({ expires_at: expiresAt }).where('id', '=', sha256Base64Url(tx.id)).execute();
}
