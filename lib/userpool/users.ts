import { randomUUID } from 'node:crypto';
import type { AttributeType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { EngineDeps } from './context';
import type { UsersTable } from '../db/schema';
import { errors, messages } from './errors';
import { isCaseSensitive, type PoolRecord } from './pools';
import { prepared } from '../db/prepared';
import type { Db } from '../db';

export type UserStatus =
  | 'UNCONFIRMED'
  | 'CONFIRMED'
  | 'FORCE_CHANGE_PASSWORD'
  | 'RESET_REQUIRED'
  | 'EXTERNAL_PROVIDER'
  | 'ARCHIVED'
  | 'COMPROMISED'
  | 'UNKNOWN';

export interface MfaSettings {
  sms?: boolean;
  totp?: boolean;
  email?: boolean;
  preferred?: 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
  totpFriendlyName?: string;
}

export interface UserRecord {
  poolId: string;
  usernameKey: string;
  username: string;
  sub: string;
  status: UserStatus;
  enabled: boolean;
  /** Attribute name → value (strings, as Cognito stores them), including sub. */
  attributes: Record<string, string>;
  srpSalt: string | null;
  srpVerifierEnc: string | null;
  passwordUpdatedAt: number | null;
  tempPasswordExpiresAt: number | null;
  mfa: MfaSettings;
  totpSecretEnc: string | null;
  totpPendingEnc: string | null;
  totpLastStep: number | null;
  createdAt: number;
  updatedAt: number;
}

export function keyFor(pool: PoolRecord, value: string): string {
  return isCaseSensitive(pool) ? value : value.toLowerCase();
}

/** Email keys are always case-folded for alias lookup when the pool is case-insensitive. */
function aliasKeys(pool: PoolRecord, attributes: Record<string, string>) {
  const k = (v: string | undefined) => (v === undefined || v === '' ? null : keyFor(pool, v));
  return {
    email_key: k(attributes['email']),
    phone_key: attributes['phone_number'] ? attributes['phone_number'] : null,
    preferred_username_key: k(attributes['preferred_username']),
  };
}

function fromRow(row: UsersTable): UserRecord {
  return {
    poolId: row.pool_id,
    usernameKey: row.username_key,
    username: row.username,
    sub: row.sub,
    status: row.status as UserStatus,
    enabled: Number(row.enabled) === 1,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    srpSalt: row.srp_salt,
    srpVerifierEnc: row.srp_verifier_enc,
    passwordUpdatedAt: row.password_updated_at === null ? null : Number(row.password_updated_at),
    tempPasswordExpiresAt: row.temp_password_expires_at === null ? null : Number(row.temp_password_expires_at),
    mfa: JSON.parse(row.mfa) as MfaSettings,
    totpSecretEnc: row.totp_secret_enc,
    totpPendingEnc: row.totp_pending_enc,
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toRow(pool: PoolRecord, user: UserRecord): UsersTable {
  return {
    pool_id: user.poolId,
    username_key: user.usernameKey,
    username: user.username,
    sub: user.sub,
    status: user.status,
    enabled: user.enabled ? 1 : 0,
    attributes: JSON.stringify(user.attributes),
    ...aliasKeys(pool, user.attributes),
    srp_salt: user.srpSalt,
    srp_verifier_enc: user.srpVerifierEnc,
    password_updated_at: user.passwordUpdatedAt,
    temp_password_expires_at: user.tempPasswordExpiresAt,
    mfa: JSON.stringify(user.mfa),
    totp_secret_enc: user.totpSecretEnc,
    totp_pending_enc: user.totpPendingEnc,
    totp_last_step: user.totpLastStep,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

/** Exact username lookup (the pool's internal username, or the sub). */
const userByKey = prepared((db: Db, poolId: string, key: string) => db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('username_key', '=', key));

export async function findUserByUsername(deps: EngineDeps, pool: PoolRecord, username: string): Promise<UserRecord | undefined> {
  const row = await userByKey.first(deps.db, pool.id, keyFor(pool, username));
  return row ? fromRow(row) : undefined;
}

export async function findUserBySub(deps: EngineDeps, pool: PoolRecord, sub: string): Promise<UserRecord | undefined> {
  const row = await deps.db.selectFrom('users').selectAll().where('pool_id', '=', pool.id).where('sub', '=', sub).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

const looksLikeEmail = (v: string) => v.includes('@');
const looksLikePhone = (v: string) => /^\+[0-9]{4,20}$/.test(v);

/**
 * What a person types to sign in: the username, the sub, or — depending on the pool — an email or phone
 * that is the username (UsernameAttributes) or a verified alias (AliasAttributes).
 */
export async function findUserForSignIn(deps: EngineDeps, pool: PoolRecord, identifier: string): Promise<UserRecord | undefined> {
  const direct = await findUserByUsername(deps, pool, identifier);
  if (direct) return direct;
  const usernameAttrs = pool.config.UsernameAttributes ?? [];
  const aliasAttrs = pool.config.AliasAttributes ?? [];
  const key = keyFor(pool, identifier);
  const candidates: Array<{ column: 'email_key' | 'phone_key' | 'preferred_username_key'; attr: string; mustBeVerified: boolean; value: string }> = [];
  if (looksLikeEmail(identifier) && (usernameAttrs.includes('email') || aliasAttrs.includes('email'))) {
    candidates.push({ column: 'email_key', attr: 'email', mustBeVerified: !usernameAttrs.includes('email'), value: key });
  }
  if (looksLikePhone(identifier) && (usernameAttrs.includes('phone_number') || aliasAttrs.includes('phone_number'))) {
    candidates.push({ column: 'phone_key', attr: 'phone_number', mustBeVerified: !usernameAttrs.includes('phone_number'), value: identifier });
  }
  if (aliasAttrs.includes('preferred_username')) {
    candidates.push({ column: 'preferred_username_key', attr: 'preferred_username', mustBeVerified: false, value: key });
  }
  for (const c of candidates) {
    const rows = await deps.db.selectFrom('users').selectAll().where('pool_id', '=', pool.id).where(c.column, '=', c.value).execute();
    const users = rows.map(fromRow);
    const match = c.mustBeVerified
      ? users.find((u) => u.attributes[`${c.attr}_verified`] === 'true')
      : users[0];
    if (match) return match;
  }
  const bySub = /^[0-9a-f-]{36}$/i.test(identifier) ? await findUserBySub(deps, pool, identifier.toLowerCase()) : undefined;
  return bySub;
}

/** Admin operations name a user by username or alias, failing with UserNotFoundException. */
export async function requireUser(deps: EngineDeps, pool: PoolRecord, username: string): Promise<UserRecord> {
  const user = await findUserForSignIn(deps, pool, username);
  if (!user) throw errors.userNotFound(messages.userDoesNotExist);
  return user;
}

/** Users that hold `value` for an alias attribute (used to enforce alias uniqueness on verification). */
export async function usersWithAlias(deps: EngineDeps, pool: PoolRecord, attr: 'email' | 'phone_number' | 'preferred_username', value: string): Promise<UserRecord[]> {
  const column = attr === 'email' ? 'email_key' : attr === 'phone_number' ? 'phone_key' : 'preferred_username_key';
  const rows = await deps.db
    .selectFrom('users')
    .selectAll()
    .where('pool_id', '=', pool.id)
    .where(column, '=', attr === 'phone_number' ? value : keyFor(pool, value))
    .execute();
  return rows.map(fromRow);
}

export function newUser(deps: EngineDeps, pool: PoolRecord, username: string, attributes: Record<string, string>, status: UserStatus): UserRecord {
  const now = deps.clock.now();
  const sub = randomUUID();
  return {
    poolId: pool.id,
    usernameKey: keyFor(pool, username),
    username,
    sub,
    status,
    enabled: true,
    attributes: { ...attributes, sub },
    srpSalt: null,
    srpVerifierEnc: null,
    passwordUpdatedAt: null,
    tempPasswordExpiresAt: null,
    mfa: {},
    totpSecretEnc: null,
    totpPendingEnc: null,
    totpLastStep: null,
    createdAt: now,
    updatedAt: now,
  };
}

export async function insertUser(deps: EngineDeps, pool: PoolRecord, user: UserRecord): Promise<void> {
  try {
    await deps.db.insertInto('users').values(toRow(pool, user)).execute();
  } catch (e) {
    if (/unique|duplicate|constraint/i.test(String(e))) throw errors.usernameExists('User already exists');
    throw e;
  }
}

/** Writes the whole record back (the record is the unit of change; no partial column updates to drift). */
export async function saveUser(deps: EngineDeps, pool: PoolRecord, user: UserRecord): Promise<void> {
  user.updatedAt = deps.clock.now();
  const row = toRow(pool, user);
  await deps.db
    .updateTable('users')
    .set(row)
    .where('pool_id', '=', user.poolId)
    .where('username_key', '=', user.usernameKey)
    .execute();
}

export async function deleteUserEverywhere(deps: EngineDeps, user: UserRecord): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('user_groups').where('pool_id', '=', user.poolId).where('username_key', '=', user.usernameKey).execute();
    await tx.deleteFrom('codes').where('pool_id', '=', user.poolId).where('username_key', '=', user.usernameKey).execute();
    await tx
      .updateTable('token_families')
      .set({ revoked_at: deps.clock.now() })
      .where('pool_id', '=', user.poolId)
      .where('username_key', '=', user.usernameKey)
      .execute();
    await tx.deleteFrom('users').where('pool_id', '=', user.poolId).where('username_key', '=', user.usernameKey).execute();
  });
}

export function attributeList(attributes: Record<string, string>): AttributeType[] {
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

export function toUserType(user: UserRecord): UserType {
  return {
    Username: user.username,
    Attributes: attributeList(user.attributes),
    UserCreateDate: new Date(user.createdAt),
    UserLastModifiedDate: new Date(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

export async function listUsersPage(deps: EngineDeps, pool: PoolRecord, afterKey: string | undefined, limit: number): Promise<UserRecord[]> {
  let q = deps.db.selectFrom('users').selectAll().where('pool_id', '=', pool.id);
  if (afterKey !== undefined) q = q.where('username_key', '>', afterKey);
  const rows = await q.orderBy('username_key').limit(limit).execute();
  return rows.map(fromRow);
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

export function maskPhone(phone: string): string {
  return `+${'*'.repeat(Math.max(phone.length - 5, 0))}${phone.slice(-4)}`;
}
