import type {
  AttributeType,
  CodeDeliveryDetailsType,
  ConfirmSignUpRequest,
  ConfirmSignUpResponse,
  ResendConfirmationCodeRequest,
  ResendConfirmationCodeResponse,
  SignUpRequest,
  SignUpResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type EngineDeps, type Handler } from '../context';
import { errors, messages } from '../errors';
import { requireClient, type ClientRecord } from '../clients';
import type { PoolRecord } from '../pools';
import { checkSecretHash } from '../secret-hash';
import { checkAttributeWrites } from '../attributes';
import { assertPolicy, setPasswordAsync } from '../passwords';
import { findUserByUsername, findUserForSignIn, insertUser, keyFor, newUser, saveUser, type UserRecord } from '../users';
import { assertUsernameAttributeFree, claimAliases, usernameAttributeFor } from '../aliases';
import { checkCode, discardCode } from '../codes';
import { deliverCode } from '../delivery';
import { localeFromMetadata } from '../message-templates';
import { BASE_URL_METADATA } from '../../domains/site';
import { confirmationChannel, passwordOptional } from '../code-channels';
import { codeDataOf, codeError, issueLimitedCode, SIGNUP_CODE_TTL_MS } from '../verification-codes';
import { hidesUserExistence, pretendDelivery, USERNAME_CLIENT_NOT_FOUND } from '../user-existence';
import { recoveryHandlers } from './recovery';
import { confirmedSession, signUpSession } from '../sign-up-session';
import { assertSendPossible } from '../send-limits';

/**
 * Self-service sign-up (reference §3.6): SignUp creates an UNCONFIRMED user and sends a confirmation code
 * to an auto-verified attribute; ConfirmSignUp checks it, verifies that attribute and confirms the user;
 * ResendConfirmationCode sends a fresh code. Password recovery lives in ./recovery.
 */
const UNWRITABLE_AT_SIGN_UP = new Set(['email_verified', 'phone_number_verified']);

/** Sends the sign-up confirmation code to the user's auto-verified attribute, if there is one. */
async function sendConfirmationCode(
  deps: EngineDeps,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  locale: string | undefined,
  sourceIp: string | undefined,
  baseUrl?: string,
): Promise<CodeDeliveryDetailsType | undefined> {
  const channel = confirmationChannel(pool, user.attributes);
  if (!channel) return undefined;
  // A refused send must not replace the code the person already has.
  await assertSendPossible(deps, { destination: user.attributes[channel]!, sourceIp });
  const code = await issueLimitedCode(deps, pool.id, user.usernameKey, 'signup', SIGNUP_CODE_TTL_MS, { attribute: channel });
  return deliverCode(deps, { pool, user, kind: 'verify', code, attribute: channel, clientId: client.clientId, sourceIp, locale, baseUrl });
}

const signUp = op<SignUpRequest, SignUpResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { client, pool } = await requireClient(deps, input.ClientId!);
  const typed = input.Username!;
  checkSecretHash(client, input.SecretHash, [typed]);
  if (pool.config.AdminCreateUserConfig?.AllowAdminCreateUserOnly) {
    throw errors.notAuthorized('SignUp is not permitted for this user pool');
  }
  const usernameAttribute = usernameAttributeFor(pool, typed);
  // Verified flags are the pool's to set (by code), never the caller's.
  if ((input.UserAttributes ?? []).some((a) => UNWRITABLE_AT_SIGN_UP.has(a.Name ?? ''))) {
    throw errors.notAuthorized('A client attempted to write unauthorized attribute');
  }
  const requested: AttributeType[] = [...(input.UserAttributes ?? [])];
  if (usernameAttribute) requested.push({ Name: usernameAttribute, Value: typed });
  const attributes = checkAttributeWrites(pool, requested, 'signup', { client });
  if (input.Password === undefined) {
    if (!passwordOptional(pool, attributes)) {
      throw errors.invalidParameter("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
    }
  } else {
    assertPolicy(pool, input.Password);
  }

  if (usernameAttribute) {
    await assertUsernameAttributeFree(deps, pool, attributes);
  } else if (await findUserByUsername(deps, pool, typed)) {
    throw errors.usernameExists('User already exists');
  }
  const channel = confirmationChannel(pool, attributes);
  // A code that would be refused must not leave a user behind that nobody can confirm.
  if (channel) await assertSendPossible(deps, { destination: attributes[channel]!, sourceIp: ctx.sourceIp });
  const user = newUser(deps, pool, typed, attributes, 'UNCONFIRMED');
  if (usernameAttribute) {
    // The email/phone is the sign-in name; the stored username is the sub (SRP's USER_ID_FOR_SRP).
    user.username = user.sub;
    user.usernameKey = keyFor(pool, user.sub);
  }
  if (input.Password !== undefined) await setPasswordAsync(deps, pool, user, input.Password);
  await insertUser(deps, pool, user);

  const delivery = await sendConfirmationCode(deps, pool, client, user, localeFromMetadata(input.ClientMetadata), ctx.sourceIp, input.ClientMetadata?.[BASE_URL_METADATA]);
  const session = await signUpSession(deps, pool, client, user);
  return {
    UserConfirmed: false,
    UserSub: user.sub,
    ...(delivery ? { CodeDeliveryDetails: delivery } : {}),
    ...(session ? { Session: session } : {}),
  };
});

const confirmSignUp = op<ConfirmSignUpRequest, ConfirmSignUpResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { client, pool } = await requireClient(deps, input.ClientId!);
  const user = await findUserForSignIn(deps, pool, input.Username!);
  checkSecretHash(client, input.SecretHash, [input.Username, user?.username]);
  if (!user) {
    if (hidesUserExistence(client)) throw errors.codeMismatch(messages.codeMismatch);
    throw errors.userNotFound(USERNAME_CLIENT_NOT_FOUND);
  }
  if (user.status !== 'UNCONFIRMED') {
    throw errors.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  }
  // The code stays live until the alias check passed, so an AliasExistsException can be retried with
  // ForceAliasCreation and the same code.
  const check = await checkCode(deps, pool.id, user.usernameKey, 'signup', input.ConfirmationCode!, { keep: true });
  if (check.result !== 'ok') throw codeError(check.result);
  const attribute = codeDataOf(check).attribute ?? confirmationChannel(pool, user.attributes);
  if (attribute && user.attributes[attribute]) user.attributes[`${attribute}_verified`] = 'true';
  await claimAliases(deps, pool, user, user.attributes, input.ForceAliasCreation === true);
  await discardCode(deps, pool.id, user.usernameKey, 'signup');
  user.status = 'CONFIRMED';
  await saveUser(deps, pool, user);
  const session = await confirmedSession(deps, pool, client, user, input.Session);
  return session ? { Session: session } : {};
});

const resendConfirmationCode = op<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { client, pool } = await requireClient(deps, input.ClientId!);
  const typed = input.Username!;
  const user = await findUserForSignIn(deps, pool, typed);
  checkSecretHash(client, input.SecretHash, [typed, user?.username]);
  const hide = hidesUserExistence(client);
  if (!user || !user.enabled || user.status !== 'UNCONFIRMED') {
    if (hide) return { CodeDeliveryDetails: pretendDelivery(pool, typed) };
    if (!user) throw errors.userNotFound(USERNAME_CLIENT_NOT_FOUND);
    if (!user.enabled) throw errors.notAuthorized(messages.userDisabled);
    throw errors.invalidParameter('User is already confirmed.');
  }
  if (!confirmationChannel(pool, user.attributes)) {
    throw errors.invalidParameter('Cannot resend codes. Auto verification not turned on.');
  }
  const delivery = await sendConfirmationCode(deps, pool, client, user, localeFromMetadata(input.ClientMetadata), ctx.sourceIp, input.ClientMetadata?.[BASE_URL_METADATA]);
  return { CodeDeliveryDetails: delivery };
});

export const signUpHandlers: Record<string, Handler> = {
  SignUp: signUp,
  ConfirmSignUp: confirmSignUp,
  ResendConfirmationCode: resendConfirmationCode,
  ...recoveryHandlers,
};
