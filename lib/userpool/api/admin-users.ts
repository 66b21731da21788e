import type {
  AdminConfirmSignUpRequest,
  AdminDeleteUserAttributesRequest,
  AdminDeleteUserRequest,
  AdminDisableUserRequest,
  AdminEnableUserRequest,
  AdminResetUserPasswordRequest,
  AdminUpdateUserAttributesRequest,
  AdminUserGlobalSignOutRequest,
  ListUsersRequest,
  ListUsersResponse,
  UserType,
  AdminCreateUserRequest,
  AdminCreateUserResponse,
  AdminGetUserRequest,
  AdminGetUserResponse,
  AdminSetUserPasswordRequest,
  AdminSetUserPasswordResponse,
  DeliveryMediumType,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type EngineDeps, type Handler } from '../context';
import { errors } from '../errors';
import { requirePool, type PoolRecord } from '../pools';
import { checkAttributeWrites, schemaEntry } from '../attributes';
import { assertPolicy, generateTemporaryPassword, policyOf, setPasswordAsync } from '../passwords';
import {
  attributeList,
  deleteUserEverywhere,
  findUserByUsername,
  insertUser,
  keyFor,
  listUsersPage,
  newUser,
  requireUser,
  saveUser,
  toUserType,
  type UserRecord,
} from '../users';
import { isCaseSensitive } from '../pools';
import { issueCode } from '../codes';
import { revokeAllForUser } from '../tokens';
import { matchesFilter, parseUserFilter } from '../list-users-filter';
import { decodePageToken, encodePageToken } from '../ids';
import { deliverCode } from '../delivery';
import { localeFromMetadata } from '../message-templates';
import { mfaSummary } from '../user-mfa-summary';
import { recoveryChannel } from '../code-channels';
import { FORGOT_CODE_TTL_MS } from '../verification-codes';
import { assertUsernameAttributeFree, claimAliases, usernameAttributeFor } from '../aliases';

const DAY_MS = 86_400_000;

async function setTemporaryPasswordAsync(deps: EngineDeps, pool: PoolRecord, user: UserRecord, password: string): Promise<void> {
  await setPasswordAsync(deps, pool, user, password);
  user.status = 'FORCE_CHANGE_PASSWORD';
  user.tempPasswordExpiresAt = deps.clock.now() + policyOf(pool).TemporaryPasswordValidityDays * DAY_MS;
}

/** Invitation by each desired medium the user has an address for (Cognito's default medium is SMS). */
async function sendInvitation(
  deps: EngineDeps,
  pool: PoolRecord,
  user: UserRecord,
  password: string,
  mediums: DeliveryMediumType[] | undefined,
  locale: string | undefined,
) {
  for (const medium of new Set(mediums && mediums.length > 0 ? mediums : ['SMS'])) {
    const attribute = medium === 'EMAIL' ? 'email' : 'phone_number';
    if (!user.attributes[attribute]) continue;
    await deliverCode(deps, { pool, user, kind: 'invite', code: password, attribute, locale });
  }
}

const adminCreateUser = op<AdminCreateUserRequest, AdminCreateUserResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const requested = input.Username!;

  if (input.MessageAction === 'RESEND') {
    const user = await requireUser(deps, pool, requested);
    if (user.status !== 'FORCE_CHANGE_PASSWORD') {
      throw errors.unsupportedUserState(`Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD`);
    }
    const password = input.TemporaryPassword ?? generateTemporaryPassword(pool);
    if (input.TemporaryPassword !== undefined) assertPolicy(pool, password, 'does not conform to');
    await setTemporaryPasswordAsync(deps, pool, user, password);
    await saveUser(deps, pool, user);
    await sendInvitation(deps, pool, user, password, input.DesiredDeliveryMediums, localeFromMetadata(input.ClientMetadata));
    return { User: toUserType(user) };
  }

  const signInAttribute = usernameAttributeFor(pool, requested);
  const fromUsername: Record<string, string> = signInAttribute ? { [signInAttribute]: requested } : {};
  const attributes = {
    ...checkAttributeWrites(pool, input.UserAttributes, 'admin-create', { existing: fromUsername }),
    ...fromUsername,
  };
  if (!signInAttribute && (await findUserByUsername(deps, pool, requested))) {
    throw errors.usernameExists('User account already exists');
  }
  await assertUsernameAttributeFree(deps, pool, attributes);

  const password = input.TemporaryPassword ?? generateTemporaryPassword(pool);
  if (input.TemporaryPassword !== undefined) assertPolicy(pool, password, 'does not conform to');

  const user = newUser(deps, pool, requested, attributes, 'FORCE_CHANGE_PASSWORD');
  if (signInAttribute) {
    // The email/phone is the sign-in name; the stored username is the immutable sub.
    user.username = user.sub;
    user.usernameKey = keyFor(pool, user.sub);
  }
  await claimAliases(deps, pool, user, user.attributes, input.ForceAliasCreation === true);
  await setTemporaryPasswordAsync(deps, pool, user, password);
  await insertUser(deps, pool, user).catch((e: unknown) => {
    throw e instanceof Error && e.name === 'UsernameExistsException' ? errors.usernameExists('User account already exists') : e;
  });
  if (input.MessageAction !== 'SUPPRESS') await sendInvitation(deps, pool, user, password, input.DesiredDeliveryMediums, localeFromMetadata(input.ClientMetadata));
  return { User: toUserType(user) };
});

const adminGetUser = op<AdminGetUserRequest, AdminGetUserResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  return {
    Username: user.username,
    UserAttributes: attributeList(user.attributes),
    UserCreateDate: new Date(user.createdAt),
    UserLastModifiedDate: new Date(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
    ...mfaSummary(user),
  };
});

const adminSetUserPassword = op<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  assertPolicy(pool, input.Password!, 'does not conform to');
  if (input.Permanent) {
    await setPasswordAsync(deps, pool, user, input.Password!);
    user.status = 'CONFIRMED';
    user.tempPasswordExpiresAt = null;
  } else {
    await setTemporaryPasswordAsync(deps, pool, user, input.Password!);
  }
  await saveUser(deps, pool, user);
  return {};
});

const VERIFIABLE = ['email', 'phone_number'] as const;
const VERIFY_CODE_TTL_MS = 24 * 3600_000;

/**
 * AdminUpdateUserAttributes. A changed email/phone becomes unverified unless the same call marks it
 * verified; in a pool that auto-verifies it, a code goes to the new address. When the pool keeps the old
 * value until the new one is verified (AttributesRequireVerificationBeforeUpdate), the new value waits
 * in the code record instead — unless the call marks it verified, which applies it at once.
 */
const adminUpdateUserAttributes = op<AdminUpdateUserAttributesRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  const updates = checkAttributeWrites(pool, input.UserAttributes, 'admin-update', { existing: user.attributes });
  const next = { ...user.attributes, ...updates };
  const codes: Array<{ attr: 'email' | 'phone_number'; value: string; pending: boolean }> = [];
  const autoVerified = pool.config.AutoVerifiedAttributes ?? [];
  const waitForVerification = pool.config.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  for (const attr of VERIFIABLE) {
    const value = updates[attr];
    if (value === undefined || value === user.attributes[attr] || updates[`${attr}_verified`] !== undefined) continue;
    if (waitForVerification.includes(attr) && user.attributes[attr]) {
      next[attr] = user.attributes[attr]!;
      codes.push({ attr, value, pending: true });
      continue;
    }
    next[`${attr}_verified`] = 'false';
    if (autoVerified.includes(attr) && value !== '') codes.push({ attr, value, pending: false });
  }
  await assertUsernameAttributeFree(deps, pool, { ...next, ...Object.fromEntries(codes.map((c) => [c.attr, c.value])) }, user, errors.aliasExists);
  await claimAliases(deps, pool, user, next, false);
  user.attributes = next;
  await saveUser(deps, pool, user);
  for (const c of codes) {
    const code = await issueCode(deps, pool.id, user.usernameKey, `verify:${c.attr}`, VERIFY_CODE_TTL_MS, {
      attribute: c.attr,
      ...(c.pending ? { pending: c.value } : {}),
    });
    await deliverCode(deps, {
      pool,
      user,
      kind: 'verify-attribute',
      code,
      attribute: c.attr,
      destination: c.value,
      locale: localeFromMetadata(input.ClientMetadata),
    });
  }
  return {};
});

const adminDeleteUserAttributes = op<AdminDeleteUserAttributesRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  for (const name of input.UserAttributeNames ?? []) {
    const entry = schemaEntry(pool, name);
    if (!entry) throw errors.invalidParameter(`Attributes did not conform to the schema: Type for attribute {${name}} could not be determined`);
    if (name === 'sub' || entry.Mutable === false) throw errors.invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    if (entry.Required) throw errors.invalidParameter(`Attributes did not conform to the schema: ${name}: The attribute ${name} is required`);
  }
  for (const name of input.UserAttributeNames ?? []) {
    const bare = name.replace(/^dev:/, '');
    delete user.attributes[bare];
    if (bare === 'email' || bare === 'phone_number') delete user.attributes[`${bare}_verified`];
  }
  await saveUser(deps, pool, user);
  return {};
});

const adminDisableUser = op<AdminDisableUserRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  user.enabled = false;
  await saveUser(deps, pool, user);
  await revokeAllForUser(deps, user);
  return {};
});

const adminEnableUser = op<AdminEnableUserRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  user.enabled = true;
  await saveUser(deps, pool, user);
  return {};
});

const adminDeleteUser = op<AdminDeleteUserRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  await deleteUserEverywhere(deps, user);
  return {};
});

const adminConfirmSignUp = op<AdminConfirmSignUpRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  if (user.status !== 'UNCONFIRMED') throw errors.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  user.status = 'CONFIRMED';
  await saveUser(deps, pool, user);
  await deps.db.deleteFrom('codes').where('pool_id', '=', pool.id).where('username_key', '=', user.usernameKey).where('purpose', '=', 'signup').execute();
  return {};
});

const adminResetUserPassword = op<AdminResetUserPasswordRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  const adminOnly = (pool.config.AccountRecoverySetting?.RecoveryMechanisms ?? []).some((m) => m.Name === 'admin_only');
  const channel = adminOnly ? undefined : recoveryChannel(pool, user.attributes);
  if (!adminOnly && !channel) {
    throw errors.invalidParameter('Cannot reset password for the user as there is no registered/verified email or phone_number');
  }
  user.status = 'RESET_REQUIRED';
  user.tempPasswordExpiresAt = null;
  await saveUser(deps, pool, user);
  // admin_only pools: the administrator sets the new password; no code goes out.
  if (channel) {
    const code = await issueCode(deps, pool.id, user.usernameKey, 'forgot', FORGOT_CODE_TTL_MS, { attribute: channel });
    await deliverCode(deps, { pool, user, kind: 'forgot', code, attribute: channel, locale: localeFromMetadata(input.ClientMetadata) });
  }
  return {};
});

const adminUserGlobalSignOut = op<AdminUserGlobalSignOutRequest, Record<string, never>>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const user = await requireUser(deps, pool, input.Username!);
  await revokeAllForUser(deps, user);
  return {};
});

const SCAN_BATCH = 200;

const listUsers = op<ListUsersRequest, ListUsersResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const filter = parseUserFilter(input.Filter);
  const limit = input.Limit && input.Limit > 0 ? input.Limit : 60;
  const caseSensitive = isCaseSensitive(pool);
  const wanted = input.AttributesToGet ? new Set(input.AttributesToGet) : undefined;
  const found: UserRecord[] = [];
  let after = decodePageToken(input.PaginationToken);
  let more = false;
  // Walk the pool in username order, filtering as Cognito does, until a page (and one more) is found.
  for (;;) {
    const batch = await listUsersPage(deps, pool, after, SCAN_BATCH);
    for (const user of batch) {
      if (!matchesFilter(user, filter, caseSensitive)) continue;
      if (found.length === limit) {
        more = true;
        break;
      }
      found.push(user);
    }
    if (more || batch.length < SCAN_BATCH) break;
    after = batch[batch.length - 1]!.usernameKey;
  }
  const users: UserType[] = found.map((user) => {
    const t = toUserType(user);
    if (wanted) t.Attributes = (t.Attributes ?? []).filter((a) => wanted.has(a.Name!));
    return t;
  });
  return {
    Users: users,
    ...(more ? { PaginationToken: encodePageToken(found[found.length - 1]!.usernameKey) } : {}),
  };
});

export const adminUserHandlers: Record<string, Handler> = {
  AdminCreateUser: adminCreateUser,
  AdminGetUser: adminGetUser,
  AdminSetUserPassword: adminSetUserPassword,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminDeleteUser: adminDeleteUser,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminResetUserPassword: adminResetUserPassword,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  ListUsers: listUsers,
};

