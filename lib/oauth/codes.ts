import { randomToken } from '../crypto/random';
import type { AuthorizeRequest } from './types';
import { sha256Base64Url, type SecretBox } from '../crypto/secretbox';
import type { Db } from '../db';
import { prepared, type Write } from '../db/prepared';

/**
 * Authorization codes: 256 random bits, single use, 5 minutes (Cognito's lifetime), bound to the client,
 * redirect URI, PKCE challenge, nonce and scopes. The tokens the pool issued at sign-in wait behind the
 * code sealed at rest; redemption removes them, keeping only the refresh token (sealed) until the code
 * expires so that a second redemption can revoke what the first one issued.
 */
export const CODE_TTL_MS = 5 * 60_000;
const PURPOSE = 'authorization-code';

export interface IssuedTokens {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  expiresIn: number;
}

export interface CodeGrant {
  clientId: string;
  poolId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge?: string;
  nonce?: string;
  /** Seconds: the interactive sign-in the tokens rest on. */
  authTime: number;
  sub: string;
}

interface StoredCode {
  grant: CodeGrant;
  tokens?: IssuedTokens;
  /** Kept after redemption, for revocation on reuse. */
  refreshToken?: string;
}

export interface CodeStoreDeps {
  db: Db;
  box: SecretBox;
  now(): number;
}

export function grantFor(request: AuthorizeRequest, authTime: number, sub: string): CodeGrant {
  return {
    clientId: request.clientId,
    poolId: request.poolId,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    codeChallenge: request.codeChallenge,
    nonce: request.nonce,
    authTime,
    sub,
  };
}

const insertCode = prepared((db: Db, digest: string, clientId: string, dataEnc: string, now: number, expiresAt: number) =>
  db.insertInto('auth_codes').values({ code_digest: digest, client_id: clientId, data_enc: dataEnc, created_at: now, expires_at: expiresAt, redeemed_at: null }),
);
const codeByDigest = prepared((db: Db, digest: string) => db.selectFrom('auth_codes').selectAll().where('code_digest', '=', digest));
// Conditional: of concurrent redemptions exactly one changes the row.
const markRedeemed = prepared((db: Db, now: number, dataEnc: string, digest: string) =>
  db.updateTable('auth_codes').set({ redeemed_at: now, data_enc: dataEnc }).where('code_digest', '=', digest).where('redeemed_at', 'is', null),
);

/** A new code and the write that stores it (writeAll: a sign-in stores it with its other writes). */
export function newCode(d: Omit<CodeStoreDeps, 'db'>, grant: CodeGrant, tokens: IssuedTokens): { code: string; write: Write } {
  const code = randomToken(32);
  const now = d.now();
  const stored: StoredCode = { grant, tokens, refreshToken: tokens.refreshToken };
  return { code, write: insertCode.write(sha256Base64Url(code), grant.clientId, d.box.seal(JSON.stringify(stored), PURPOSE), now, now + CODE_TTL_MS) };
}

export type CodeLookup =
  | { state: 'unknown' }
  | { state: 'expired' }
  | { state: 'live' | 'redeemed'; grant: CodeGrant; digest: string; refreshToken?: string; tokens?: IssuedTokens };

/** Reads a code without consuming it, so the caller can check the redemption's parameters first. */
export async function lookupCode(d: CodeStoreDeps, code: string): Promise<CodeLookup> {
  if (!code || code.length > 128) return { state: 'unknown' };
  const digest = sha256Base64Url(code);
  const row = await codeByDigest.first(d.db, digest);
  if (!row) return { state: 'unknown' };
  if (Number(row.expires_at) <= d.now()) return { state: 'expired' };
  const stored = JSON.parse(d.box.openText(row.data_enc, PURPOSE)) as StoredCode;
  return { state: row.redeemed_at === null ? 'live' : 'redeemed', grant: stored.grant, digest, refreshToken: stored.refreshToken, tokens: stored.tokens };
}

/**
 * Redeems a live code exactly once, also under concurrent redemption (a conditional update decides);
 * returns the tokens, or undefined when another redemption won. `found` is lookupCode's answer for the
 * same digest, which saves reading the row again.
 */
export async function redeemCode(d: CodeStoreDeps, digest: string, found?: CodeLookup): Promise<IssuedTokens | undefined> {
  let stored: StoredCode;
  if (found && found.state === 'live' && found.digest === digest) {
    stored = { grant: found.grant, tokens: found.tokens, refreshToken: found.refreshToken };
  } else {
    const row = await d.db.selectFrom('auth_codes').select(['data_enc']).where('code_digest', '=', digest).executeTakeFirst();
    if (!row) return undefined;
    stored = JSON.parse(d.box.openText(row.data_enc, PURPOSE)) as StoredCode;
  }
  const kept: StoredCode = { grant: stored.grant, refreshToken: stored.refreshToken };
  const updated = await markRedeemed.run(d.db, d.now(), d.box.seal(JSON.stringify(kept), PURPOSE), digest);
  return updated === 1 ? stored.tokens : undefined;
}

export async function sweepCodes(d: CodeStoreDeps): Promise<void> {
  await d.db.deleteFrom('auth_codes').where('expires_at', '<', d.now()).execute();
}
