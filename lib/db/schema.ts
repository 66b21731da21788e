import type { ColumnType } from 'kysely';

/**
 * One schema for SQLite and PostgreSQL. Times are epoch milliseconds (bigint), booleans 0/1,
 * documents JSON text, so the same queries run on both dialects.
 */
export interface PoolsTable {
  id: string;
  name: string;
  config: string;
  created_at: number;
  updated_at: number;
}

export interface ClientsTable {
  client_id: string;
  pool_id: string;
  client_name: string;
  secret_enc: string | null;
  config: string;
  created_at: number;
  updated_at: number;
}

export interface ResourceServersTable {
  pool_id: string;
  identifier: string;
  name: string;
  scopes: string;
}

export interface UsersTable {
  pool_id: string;
  username_key: string;
  username: string;
  sub: string;
  status: string;
  enabled: number;
  attributes: string;
  email_key: string | null;
  phone_key: string | null;
  preferred_username_key: string | null;
  srp_salt: string | null;
  srp_verifier_enc: string | null;
  password_updated_at: number | null;
  temp_password_expires_at: number | null;
  mfa: string;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  totp_last_step: number | null;
  created_at: number;
  updated_at: number;
}

export interface GroupsTable {
  pool_id: string;
  group_name: string;
  description: string | null;
  precedence: number | null;
  role_arn: string | null;
  created_at: number;
  updated_at: number;
}

export interface UserGroupsTable {
  pool_id: string;
  group_name: string;
  username_key: string;
}

export interface AuthSessionsTable {
  id: string;
  pool_id: string;
  client_id: string;
  data_enc: string;
  expires_at: number;
}

export interface CodesTable {
  pool_id: string;
  username_key: string;
  purpose: string;
  code_digest: string;
  data: string | null;
  attempts: number;
  created_at: number;
  expires_at: number;
}

export interface TokenFamiliesTable {
  origin_jti: string;
  pool_id: string;
  client_id: string;
  username_key: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** Space-separated OAuth scopes for hosted sign-ins; null for API sign-ins. */
  scopes: string | null;
  /** The `iss` the family's tokens carry when it is a custom domain's (lib/domains); null: PORTICO_URL's. */
  issuer?: string | null;
}

export interface RefreshTokensTable {
  token_digest: string;
  origin_jti: string;
  created_at: number;
  expires_at: number;
  rotated_at: number | null;
}

export interface LockoutsTable {
  pool_id: string;
  user_key: string;
  failures: number;
  locked_until: number;
  last_failure_at: number;
}

export interface SigningKeysTable {
  kid: string;
  pool_id: string;
  key_use: string;
  private_enc: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export interface OutboxTable {
  id: string;
  pool_id: string;
  to_addr: string;
  medium: string;
  subject: string | null;
  body_text: string;
  status: string;
  created_at: number;
  /** Delivery columns ('0201_delivery'); optional on insert so existing writers stay valid. */
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<number | null, number | null | undefined, number | null>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  sent_at: ColumnType<number | null, number | null | undefined, number | null>;
  html: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface KvTable {
  key: string;
  value: string;
}

export interface HostedTransactionsTable {
  id: string;
  browser: string;
  data_enc: string;
  created_at: number;
  expires_at: number;
}

export interface AuthCodesTable {
  code_digest: string;
  client_id: string;
  data_enc: string;
  created_at: number;
  expires_at: number;
  redeemed_at: number | null;
}

export interface HostedSessionsTable {
  id: string;
  pool_id: string;
  sub: string;
  data_enc: string;
  /** Sealed tokens of an account-page sign-in (lib/hosted/account), if any. */
  account_enc: ColumnType<string | null, string | null | undefined, string | null>;
  auth_time: number;
  created_at: number;
  expires_at: number;
}

/** A custom domain (lib/domains): the host name a request came in on → the pool it serves. */
export interface DomainsTable {
  host: string;
  pool_id: string;
  /** `scheme://host[:port]`: the issuer is `{base_url}/{pool_id}`. */
  base_url: string;
  default_client_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface PoolSettingsTable {
  pool_id: string;
  settings: string;
  updated_at: number;
}

export interface ClientSettingsTable {
  client_id: string;
  settings: string;
  updated_at: number;
}

/** A failed form's values (never passwords) and field errors, shown once by the page it returns to. */
export interface HostedFlashTable {
  id: string;
  browser: string;
  data_enc: string;
  expires_at: number;
}

/**
 * A sign-up waiting for its confirmation code: the authorization request it started from, kept as long
 * as the code is valid, so the confirmed user lands on the app (issue 4).
 */
export interface PendingSignupsTable {
  id: string;
  pool_id: string;
  client_id: string;
  /** The pool's username of the new user (as in the confirmation link's user_name). */
  username: string;
  browser: string;
  data_enc: string;
  created_at: number;
  expires_at: number;
  /** When the last code was sent (the resend cooldown). */
  last_sent_at: number;
}

/** Fixed-window counters (lib/security/rate-limit.ts), shared by every instance on one database. */
export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
  expires_at: number;
}

/** One row (id 1): how many changes the configuration tables have seen (lib/db/config-cache.ts). */
export interface ConfigVersionTable {
  id: number;
  n: number;
}

export interface Database {
  pools: PoolsTable;
  clients: ClientsTable;
  resource_servers: ResourceServersTable;
  users: UsersTable;
  groups: GroupsTable;
  user_groups: UserGroupsTable;
  auth_sessions: AuthSessionsTable;
  codes: CodesTable;
  token_families: TokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  lockouts: LockoutsTable;
  signing_keys: SigningKeysTable;
  outbox: OutboxTable;
  kv: KvTable;
  hosted_transactions: HostedTransactionsTable;
  auth_codes: AuthCodesTable;
  hosted_sessions: HostedSessionsTable;
  client_settings: ClientSettingsTable;
  pool_settings: PoolSettingsTable;
  domains: DomainsTable;
  hosted_flash: HostedFlashTable;
  pending_signups: PendingSignupsTable;
  rate_limits: RateLimitsTable;
  config_version: ConfigVersionTable;
}
