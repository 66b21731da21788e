import type {
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
import { checkAttributeWrites } from '../attributes';
import { assertPolicy, generateTemporaryPassword, policyOf, setPassword } from '../passwords';
import { attributeList, findUserByUsername, insertUser, keyFor, newUser, requireUser, saveUser, toUserType, type UserRecord } from '../users';
import { deliverCode } from '../delivery';
import { assertUsernameAttributeFree, claimAliases, usernameAttributeFor } from '../aliases';

const DAY_MS = 86_400_000;

/** The MFA part of AdminGetUser: enabled factors, the preferred one, and the legacy MFAOptions for SMS. */
function mfaSummary(user: UserRecord): Pick<AdminGetUserResponse, 'MFAOptions' | 'PreferredMfaSetting' | 'UserMFASettingList'> {
  const list: string[] = [];
  if (user.mfa.sms) list.push('SMS_MFA');
  if (user.mfa.totp) list.push('SOFTWARE_TOKEN_MFA');
  if (user.mfa.email) list.push('EMAIL_OTP');
  return {
    ...(user.mfa.sms ? { MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] } : {}),
    ...(user.mfa.preferred ? { PreferredMfaSetting: user.mfa.preferred } : {}),
    ...(list.length > 0 ? { UserMFASettingList: list } : {}),
  };
}

function setTemporaryPassword(deps: EngineDeps, pool: PoolRecord, user: UserRecord, password: string): void {
  setPassword(deps, pool, user, password);
  user.status = 'FORCE_CHANGE_PASSWORD';
  user.tempPasswordExpiresAt = deps.clock.now() + policyOf(pool).TemporaryPasswordValidityDays * DAY_MS;
}

/** Invitation by each desired medium the user has an address for (Cognito's default medium is SMS). */
async function sendInvitation(deps: EngineDeps, pool: PoolRecord, user: UserRecord, password: string, mediums: DeliveryMediumType[] | undefined) {
  for (const medium of new Set(mediums && mediums.length > 0 ? mediums : ['SMS'])) {
    const attribute = medium === 'EMAIL' ? 'email' : 'phone_number';
    if (!user.attributes[attribute]) continue;
    await deliverCode(deps, { pool, user, kind: 'invite', code: password, attribute });
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
    setTemporaryPassword(deps, pool, user, password);
    await saveUser(deps, pool, user);
    await sendInvitation(deps, pool, user, password, input.DesiredDeliveryMediums);
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
  setTemporaryPassword(deps, pool, user, password);
  await insertUser(deps, pool, user).catch((e: unknown) => {
    throw e instanceof Error && e.name === 'UsernameExistsException' ? errors.usernameExists('User account already exists') : e;
  });
  if (input.MessageAction !== 'SUPPRESS') await sendInvitation(deps, pool, user, password, input.DesiredDeliveryMediums);
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
    setPassword(deps, pool, user, input.Password!);
    user.status = 'CONFIRMED';
    user.tempPasswordExpiresAt = null;
  } else {
    setTemporaryPassword(deps, pool, user, input.Password!);
  }
  await saveUser(deps, pool, user);
  return {};
});

export const adminUserHandlers: Record<string, Handler> = {
  AdminCreateUser: adminCreateUser,
  AdminGetUser: adminGetUser,
  AdminSetUserPassword: adminSetUserPassword,
};

