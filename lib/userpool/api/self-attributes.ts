import type {
  CodeDeliveryDetailsType,
  DeleteUserAttributesRequest,
  DeleteUserAttributesResponse,
  GetUserAttributeVerificationCodeRequest,
  GetUserAttributeVerificationCodeResponse,
  UpdateUserAttributesRequest,
  UpdateUserAttributesResponse,
  VerifyUserAttributeRequest,
  VerifyUserAttributeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type Handler } from '../context';
import { errors } from '../errors';
import { checkAttributeWrites, requiredAttributes } from '../attributes';
import { saveUser } from '../users';
import { checkCode, discardCode } from '../codes';
import { deliverCode } from '../delivery';
import { assertSendPossible } from '../send-limits';
import { localeFromMetadata } from '../message-templates';
import { assertUsernameAttributeFree, claimAliases } from '../aliases';
import type { ContactAttribute } from '../code-channels';
import { codeDataOf, codeError, issueLimitedCode, readCodeData, VERIFY_CODE_TTL_MS } from '../verification-codes';
import { requireTokenHolder } from '../token-holder';

/**
 * A signed-in user's own attributes (reference §3.6, §6 "Verification"): changes go through the pool
 * schema and the client's WriteAttributes; a new email/phone is unverified and, when the pool
 * auto-verifies it, gets a code. With AttributesRequireVerificationBeforeUpdate the old value stays in
 * place and the new one waits in the code's data until VerifyUserAttribute.
 */
const CONTACT: ReadonlySet<string> = new Set(['email', 'phone_number']);
const isContact = (name: string): name is ContactAttribute => CONTACT.has(name);
const purposeFor = (attr: ContactAttribute) => `verify:${attr}` as const;

interface PlannedCode {
  attribute: ContactAttribute;
  destination: string;
  pending?: string;
}

const updateUserAttributes = op<UpdateUserAttributesRequest, UpdateUserAttributesResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { pool, user, client } = await requireTokenHolder(deps, input.AccessToken!);
  const updates = checkAttributeWrites(pool, input.UserAttributes, 'self-update', { client, existing: user.attributes });
  const autoVerified = pool.config.AutoVerifiedAttributes ?? [];
  const keepOld = pool.config.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const planned: PlannedCode[] = [];
  const dropped: ContactAttribute[] = [];
  for (const [name, value] of Object.entries(updates)) {
    if (!isContact(name)) {
      user.attributes[name] = value;
      continue;
    }
    if (value === user.attributes[name]) continue;
    if (value === '') {
      delete user.attributes[name];
      delete user.attributes[`${name}_verified`];
      dropped.push(name);
      continue;
    }
    if (keepOld.includes(name) && user.attributes[name]) {
      planned.push({ attribute: name, destination: value, pending: value });
      continue;
    }
    user.attributes[name] = value;
    user.attributes[`${name}_verified`] = 'false';
    if (autoVerified.includes(name)) planned.push({ attribute: name, destination: value });
    else dropped.push(name);
  }
  const proposed = { ...user.attributes };
  for (const p of planned) if (p.pending) proposed[p.attribute] = p.pending;
  await assertUsernameAttributeFree(deps, pool, proposed, user, errors.aliasExists);
  await saveUser(deps, pool, user);

  // An older pending change or code for an attribute that just changed (or went) no longer applies.
  for (const attr of dropped) await discardCode(deps, pool.id, user.usernameKey, purposeFor(attr));
  const deliveries: CodeDeliveryDetailsType[] = [];
  for (const p of planned) {
    const code = await issueLimitedCode(deps, pool.id, user.usernameKey, purposeFor(p.attribute), VERIFY_CODE_TTL_MS, p.pending ? { pending: p.pending } : {}, {
      enforce: false,
    });
    deliveries.push(
      await deliverCode(deps, {
        pool,
        user,
        kind: 'verify-attribute',
        code,
        attribute: p.attribute,
        destination: p.destination,
        clientId: client?.clientId,
        locale: localeFromMetadata(input.ClientMetadata),
        sourceIp: ctx.sourceIp,
      }),
    );
  }
  return deliveries.length > 0 ? { CodeDeliveryDetailsList: deliveries } : {};
});

const deleteUserAttributes = op<DeleteUserAttributesRequest, DeleteUserAttributesResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { pool, user, client } = await requireTokenHolder(deps, input.AccessToken!);
  const names = input.UserAttributeNames ?? [];
  // Same permission and mutability rules as a write of an empty value.
  checkAttributeWrites(
    pool,
    names.map((Name) => ({ Name, Value: '' })),
    'self-update',
    { client, existing: user.attributes },
  );
  const required = requiredAttributes(pool);
  for (const name of names) {
    if (required.includes(name)) {
      throw errors.invalidParameter(`Attributes did not conform to the schema: ${name}: The attribute ${name} is required`);
    }
  }
  for (const name of names) {
    delete user.attributes[name];
    if (isContact(name)) {
      delete user.attributes[`${name}_verified`];
      await discardCode(deps, pool.id, user.usernameKey, purposeFor(name));
    }
  }
  await saveUser(deps, pool, user);
  return {};
});

function contactAttribute(name: string | undefined): ContactAttribute {
  if (!name || !isContact(name)) throw errors.invalidParameter(`Invalid attribute name: ${name ?? ''}. Only email and phone_number can be verified.`);
  return name;
}

const getUserAttributeVerificationCode = op<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse>(
  async (input, ctx) => {
    const { deps } = ctx;
    const { pool, user, client } = await requireTokenHolder(deps, input.AccessToken!);
    const attribute = contactAttribute(input.AttributeName);
    const previous = await readCodeData(deps, pool.id, user.usernameKey, purposeFor(attribute));
    const destination = previous.pending ?? user.attributes[attribute];
    if (!destination) throw errors.invalidParameter(`The user has no ${attribute} to verify.`);
    // A refused send must not replace the code the person already has.
    await assertSendPossible(deps, { destination, sourceIp: ctx.sourceIp });
    const code = await issueLimitedCode(
      deps,
      pool.id,
      user.usernameKey,
      purposeFor(attribute),
      VERIFY_CODE_TTL_MS,
      previous.pending ? { pending: previous.pending } : {},
    );
    const delivery = await deliverCode(deps, {
      pool,
      user,
      kind: 'verify-attribute',
      code,
      attribute,
      destination,
      clientId: client?.clientId,
      locale: localeFromMetadata(input.ClientMetadata),
      sourceIp: ctx.sourceIp,
    });
    return { CodeDeliveryDetails: delivery };
  },
);

const verifyUserAttribute = op<VerifyUserAttributeRequest, VerifyUserAttributeResponse>(async (input, ctx) => {
  const { deps } = ctx;
  const { pool, user } = await requireTokenHolder(deps, input.AccessToken!);
  const attribute = contactAttribute(input.AttributeName);
  // Kept until the alias checks pass: a refused verification can be retried once the conflict is gone.
  const check = await checkCode(deps, pool.id, user.usernameKey, purposeFor(attribute), input.Code!, { keep: true });
  if (check.result !== 'ok') throw codeError(check.result);
  const value = codeDataOf(check).pending ?? user.attributes[attribute];
  if (!value) throw codeError('expired');
  const next = { ...user.attributes, [attribute]: value, [`${attribute}_verified`]: 'true' };
  await assertUsernameAttributeFree(deps, pool, next, user, errors.aliasExists);
  await claimAliases(deps, pool, user, next, false);
  await discardCode(deps, pool.id, user.usernameKey, purposeFor(attribute));
  user.attributes = next;
  await saveUser(deps, pool, user);
  return {};
});

export const selfAttributeHandlers: Record<string, Handler> = {
  UpdateUserAttributes: updateUserAttributes,
  DeleteUserAttributes: deleteUserAttributes,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
};
