import type {
  ChangePasswordRequest,
  ChangePasswordResponse,
  DeleteUserRequest,
  GetUserRequest,
  GetUserResponse,
  GlobalSignOutRequest,
  GlobalSignOutResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type Handler } from '../context';
import { errors, messages } from '../errors';
import { readableAttributes } from '../attributes';
import { assertPolicy, passwordMatchesAsync, setPasswordAsync } from '../passwords';
import { attributeList, deleteUserEverywhere, saveUser } from '../users';
import { revokeAllForUser } from '../tokens';
import { requireTokenHolder } from '../token-holder';
import { mfaSummary } from '../user-mfa-summary';
import { selectAttributes } from '../oauth-scopes';
import { selfAttributeHandlers } from './self-attributes';

/**
 * Operations a signed-in user performs with their own access token (reference §3.6): read the profile,
 * change the password, sign out everywhere, delete the account. Attribute changes and their verification
 * live in ./self-attributes.
 */
const getUser = op<GetUserRequest, GetUserResponse>(async (input, ctx) => {
  // Portico deviation: an `openid` access token from the hosted front is enough here (its
  // /oauth2/userInfo); such a token, lacking aws.cognito.signin.user.admin, sees only what its scopes
  // select (reference §1.3). Every other token-holder operation keeps Cognito's scope check.
  const { user, client, claims } = await requireTokenHolder(ctx.deps, input.AccessToken!, { acceptOpenId: true });
  const scopes = String(claims.scope ?? '').split(' ');
  const readable = readableAttributes(client, user.attributes);
  return {
    Username: user.username,
    UserAttributes: attributeList(scopes.includes('aws.cognito.signin.user.admin') ? readable : selectAttributes(readable, scopes)),
    ...mfaSummary(user),
  };
});

const changePassword = op<ChangePasswordRequest, ChangePasswordResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { pool, user } = await requireTokenHolder(deps, input.AccessToken!);
  // A user who signs in without a password (passwordless) may set one without naming a previous one.
  const hasPassword = user.srpVerifierEnc !== null;
  if (hasPassword && (input.PreviousPassword === undefined || !(await passwordMatchesAsync(deps, pool, user, input.PreviousPassword)))) {
    throw errors.notAuthorized(messages.badCredentials);
  }
  assertPolicy(pool, input.ProposedPassword!, 'does not conform to');
  await setPasswordAsync(deps, pool, user, input.ProposedPassword!);
  await saveUser(deps, pool, user);
  return {};
});

const globalSignOut = op<GlobalSignOutRequest, GlobalSignOutResponse>(async (input, ctx) => {
  const { user } = await requireTokenHolder(ctx.deps, input.AccessToken!);
  await revokeAllForUser(ctx.deps, user);
  return {};
});

const deleteUser = op<DeleteUserRequest, Record<string, never>>(async (input, ctx) => {
  const { user } = await requireTokenHolder(ctx.deps, input.AccessToken!);
  await deleteUserEverywhere(ctx.deps, user);
  return {};
});

export const selfHandlers: Record<string, Handler> = {
  GetUser: getUser,
  ChangePassword: changePassword,
  GlobalSignOut: globalSignOut,
  DeleteUser: deleteUser,
  ...selfAttributeHandlers,
};
