import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { EngineDeps } from './context';
import { errors } from './errors';
import type { PoolRecord } from './pools';
import { maskEmail, maskPhone, type UserRecord } from './users';
import { enqueueMessage } from './outbox';

/**
 * Renders Cognito's message templates and writes the message to the outbox (delivery transports pick it
 * up from there). Returns Cognito's CodeDeliveryDetails with the destination masked.
 */
export type MessageKind = 'verify' | 'forgot' | 'invite' | 'mfa' | 'verify-attribute';

export interface DeliveryRequest {
  pool: PoolRecord;
  user: UserRecord;
  kind: MessageKind;
  code: string;
  /** Where to send: the attribute whose value is the destination. */
  attribute: 'email' | 'phone_number';
  /** Overrides the destination (a new, not yet verified value). */
  destination?: string;
  /** For invitations: the temporary password stands in for {####}. */
  clientId?: string;
}

const DEFAULT_VERIFY_SMS = 'Your verification code is {####}. ';
const DEFAULT_VERIFY_EMAIL = 'Your verification code is {####}. ';
const DEFAULT_VERIFY_SUBJECT = 'Your verification code';
const DEFAULT_INVITE_SMS = 'Your username is {username} and temporary password is {####}. ';
const DEFAULT_INVITE_EMAIL = 'Your username is {username} and temporary password is {####}. ';
const DEFAULT_INVITE_SUBJECT = 'Your temporary password';
const DEFAULT_MFA_SMS = 'Your authentication code is {####}. ';
const DEFAULT_MFA_SUBJECT = 'Your sign-in code';
const DEFAULT_MFA_EMAIL = 'Your sign-in code is {####}. ';

function confirmLink(deps: EngineDeps, clientId: string | undefined, user: UserRecord, code: string): string {
  const q = new URLSearchParams({ client_id: clientId ?? '', user_name: user.username, confirmation_code: code });
  return `${deps.publicUrl}/confirmUser?${q.toString()}`;
}

function render(template: string, values: { code: string; username?: string; link?: string }): string {
  let out = template.split('{####}').join(values.code);
  if (values.username !== undefined) out = out.split('{username}').join(values.username);
  out = out.replace(/\{##(.*?)##\}/g, (_m, label: string) => (values.link ? `${label}: ${values.link}` : label));
  return out;
}

export async function deliverCode(deps: EngineDeps, req: DeliveryRequest): Promise<CodeDeliveryDetailsType> {
  const to = req.destination ?? req.user.attributes[req.attribute];
  if (!to) {
    throw errors.invalidParameter('Cannot send the code: the user has no registered email or phone_number');
  }
  const medium = req.attribute === 'email' ? 'EMAIL' : 'SMS';
  const c = req.pool.config;
  const vt = c.VerificationMessageTemplate ?? {};
  let subject: string | undefined;
  let text: string;
  if (req.kind === 'invite') {
    const t = c.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
    subject = t.EmailSubject ?? DEFAULT_INVITE_SUBJECT;
    text = render(medium === 'EMAIL' ? t.EmailMessage ?? DEFAULT_INVITE_EMAIL : t.SMSMessage ?? DEFAULT_INVITE_SMS, {
      code: req.code,
      username: req.user.username,
    });
  } else if (req.kind === 'mfa' && medium === 'EMAIL') {
    const emailMfa = (c as { EmailMfaConfiguration?: { Message?: string; Subject?: string } }).EmailMfaConfiguration;
    subject = emailMfa?.Subject ?? DEFAULT_MFA_SUBJECT;
    text = render(emailMfa?.Message ?? DEFAULT_MFA_EMAIL, { code: req.code });
  } else if (req.kind === 'mfa') {
    const smsMfa = (c as { SmsMfaConfiguration?: { SmsAuthenticationMessage?: string } }).SmsMfaConfiguration;
    text = render(smsMfa?.SmsAuthenticationMessage ?? c.SmsAuthenticationMessage ?? DEFAULT_MFA_SMS, { code: req.code });
  } else if (medium === 'SMS') {
    text = render(vt.SmsMessage ?? c.SmsVerificationMessage ?? DEFAULT_VERIFY_SMS, { code: req.code });
  } else if (req.kind === 'verify' && vt.DefaultEmailOption === 'CONFIRM_WITH_LINK') {
    subject = vt.EmailSubjectByLink ?? 'Your verification link';
    text = render(vt.EmailMessageByLink ?? 'Please click the link below to verify your email address. {##Verify Email##} ', {
      code: req.code,
      link: confirmLink(deps, req.clientId, req.user, req.code),
    });
  } else {
    subject = vt.EmailSubject ?? c.EmailVerificationSubject ?? DEFAULT_VERIFY_SUBJECT;
    text = render(vt.EmailMessage ?? c.EmailVerificationMessage ?? DEFAULT_VERIFY_EMAIL, { code: req.code });
  }
  await enqueueMessage(deps, { poolId: req.pool.id, to, medium, subject: medium === 'EMAIL' ? subject : undefined, text });
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
