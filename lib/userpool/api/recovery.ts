import type {
  ConfirmForgotPasswordRequest,
  ConfirmForgotPasswordResponse,
  ForgotPasswordRequest,
  ForgotPasswordResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type Handler } from '../context';
import { errors, messages } from '../errors';
import { requireClient } from '../clients';
import { checkSecretHash } from '../secret-hash';
import { assertPolicy, setPasswordAsync } from '../passwords';
import { findUserForSignIn, saveUser } from '../users';
import { checkCode } from '../codes';
import { deliverCode } from '../delivery';
import { assertSendPossible } from '../send-limits';
import { localeFromMetadata } from '../message-templates';
import { recoveryChannel } from '../code-channels';
import { codeError, FORGOT_CODE_TTL_MS, issueLimitedCode } from '../verification-codes';
import { hidesUserExistence, pretendDelivery, USERNAME_CLIENT_NOT_FOUND } from '../user-existence';

/**
 * Password recovery (reference §3.6, §6): ForgotPassword sends a one-hour code to the user's verified
 * recovery channel (AccountRecoverySetting order); ConfirmForgotPassword checks it and sets the new
 * password. Existing sessions and refresh tokens stay valid, as in Cognito.
 */
const NO_RECOVERY_CHANNEL = 'Cannot reset password for the user as there is no registered/verified email or phone_number';

const forgotPassword = op<ForgotPasswordRequest, ForgotPasswordResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { client, pool } = await requireClient(deps, input.ClientId!);
  const typed = input.Username!;
  const user = await findUserForSignIn(deps, pool, typed);
  checkSecretHash(client, input.SecretHash, [typed, user?.username]);
  const hide = hidesUserExistence(client);
  if (!user) {
    if (hide) return { CodeDeliveryDetails: pretendDelivery(pool, typed) };
    throw errors.userNotFound(USERNAME_CLIENT_NOT_FOUND);
  }
  if (!user.enabled) {
    if (hide) return { CodeDeliveryDetails: pretendDelivery(pool, typed) };
    throw errors.notAuthorized(messages.userDisabled);
  }
  // An invited user has never chosen a password: the temporary one (or a new invitation) is the way in.
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    throw errors.notAuthorized('User password cannot be reset in the current state.');
  }
  const channel = recoveryChannel(pool, user.attributes);
  if (!channel) {
    if (hide) return { CodeDeliveryDetails: pretendDelivery(pool, typed) };
    throw errors.invalidParameter(NO_RECOVERY_CHANNEL);
  }
  // A refused send must not replace the code the person already has.
  await assertSendPossible(deps, { destination: user.attributes[channel]!, sourceIp: ctx.sourceIp });
  const code = await issueLimitedCode(deps, pool.id, user.usernameKey, 'forgot', FORGOT_CODE_TTL_MS, { attribute: channel });
  const delivery = await deliverCode(deps, {
    pool,
    user,
    kind: 'forgot',
    code,
    attribute: channel,
    clientId: client.clientId,
    locale: localeFromMetadata(input.ClientMetadata),
    sourceIp: ctx.sourceIp,
  });
  return { CodeDeliveryDetails: delivery };
});

const confirmForgotPassword = op<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { client, pool } = await requireClient(deps, input.ClientId!);
  const typed = input.Username!;
  const user = await findUserForSignIn(deps, pool, typed);
  checkSecretHash(client, input.SecretHash, [typed, user?.username]);
  // The policy is the pool's, not the user's: checking it first reveals nothing and keeps the code usable.
  assertPolicy(pool, input.Password!);
  if (!user || !user.enabled) {
    if (hidesUserExistence(client)) throw errors.codeMismatch(messages.codeMismatch);
    if (!user) throw errors.userNotFound(USERNAME_CLIENT_NOT_FOUND);
    throw errors.notAuthorized(messages.userDisabled);
  }
  const check = await checkCode(deps, pool.id, user.usernameKey, 'forgot', input.ConfirmationCode!);
  if (check.result !== 'ok') throw codeError(check.result);
  await setPasswordAsync(deps, pool, user, input.Password!);
  user.tempPasswordExpiresAt = null;
  // The code reached a verified channel, which is proof enough to leave any pending state behind.
  if (user.status === 'RESET_REQUIRED' || user.status === 'FORCE_CHANGE_PASSWORD' || user.status === 'UNCONFIRMED') {
    user.status = 'CONFIRMED';
  }
  await saveUser(deps, pool, user);
  return {};
});

export const recoveryHandlers: Record<string, Handler> = {
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
};
