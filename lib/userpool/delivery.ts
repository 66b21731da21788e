import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { EngineDeps } from './context';
import { errors } from './errors';
import type { PoolRecord } from './pools';
import { maskEmail, maskPhone, type UserRecord } from './users';
import { enqueueMessage } from './outbox';
import { countSend } from './send-limits';
import { findClient } from './clients';
import { registeredBaseUrl } from '../domains/store';
import { messageLocale, renderMessage, type MessageKind } from './message-templates';

/**
 * Renders the message (./message-templates: the pool's template or Portico's translated default) and
 * writes it to the outbox; delivery transports send it from there. Returns Cognito's CodeDeliveryDetails
 * with the destination masked.
 */
export type { MessageKind } from './message-templates';

export interface DeliveryRequest {
  pool: PoolRecord;
  user: UserRecord;
  kind: MessageKind;
  code: string;
  /** Where to send: the attribute whose value is the destination. */
  attribute: 'email' | 'phone_number';
  /** Overrides the destination (a new, not yet verified value). */
  destination?: string;
  /** The app client the call named: its name heads the message, and the confirmation link names it. */
  clientId?: string;
  /**
   * The language the caller asked for (ClientMetadata 'portico:locale', see localeFromMetadata); when it
   * names no shipped locale the user's `locale` attribute decides, then English.
   */
  locale?: string;
  /** The caller's network address (OpContext.sourceIp) for public operations: ./send-limits caps per IP. */
  sourceIp?: string;
  /** ClientMetadata 'portico:base-url': the confirmation link goes to that custom domain when the pool has it. */
  baseUrl?: string;
}

async function confirmLink(deps: EngineDeps, req: DeliveryRequest): Promise<string> {
  const q = new URLSearchParams({ client_id: req.clientId ?? '', user_name: req.user.username, confirmation_code: req.code });
  const base = (await registeredBaseUrl(deps.db, req.pool.id, req.baseUrl)) ?? deps.publicUrl;
  return `${base}/confirmUser?${q.toString()}`;
}

async function appNameFor(deps: EngineDeps, req: DeliveryRequest): Promise<string> {
  const client = req.clientId ? await findClient(deps, req.clientId) : undefined;
  return client && client.poolId === req.pool.id && client.name ? client.name : req.pool.name;
}

export async function deliverCode(deps: EngineDeps, req: DeliveryRequest): Promise<CodeDeliveryDetailsType> {
  const to = req.destination ?? req.user.attributes[req.attribute];
  if (!to) {
    throw errors.invalidParameter('Cannot send the code: the user has no registered email or phone_number');
  }
  await countSend(deps, { destination: to, sourceIp: req.sourceIp });
  const medium = req.attribute === 'email' ? 'EMAIL' : 'SMS';
  // Cognito links only the sign-up confirmation email, and only when the pool chose CONFIRM_WITH_LINK.
  const byLink =
    req.kind === 'verify' && medium === 'EMAIL' && req.pool.config.VerificationMessageTemplate?.DefaultEmailOption === 'CONFIRM_WITH_LINK';
  const message = renderMessage(req.pool.config, {
    kind: req.kind,
    medium,
    code: req.code,
    username: req.user.username,
    locale: messageLocale(req.locale, req.user.attributes.locale),
    appName: await appNameFor(deps, req),
    ...(byLink ? { link: await confirmLink(deps, req) } : {}),
  });
  await enqueueMessage(deps, {
    poolId: req.pool.id,
    to,
    medium,
    ...(message.subject !== null ? { subject: message.subject } : {}),
    text: message.text,
    ...(message.html !== null ? { html: message.html } : {}),
  });
  return {
    Destination: medium === 'EMAIL' ? maskEmail(to) : maskPhone(to),
    DeliveryMedium: medium,
    AttributeName: req.attribute,
  };
}

/** A simulated CodeDeliveryDetails for unknown users (PreventUserExistenceErrors), stable per input. */
export function simulatedDelivery(identifier: string): CodeDeliveryDetailsType {
  if (/^\+[0-9]+$/.test(identifier)) return { Destination: maskPhone(identifier), DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  const email = identifier.includes('@') ? identifier : `${identifier}@example.com`;
  return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}
