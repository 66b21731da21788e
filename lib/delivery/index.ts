import type { Settings } from '../config/env';
import { createSmtpTransport } from './smtp';
import { createWebhookSender, webhookKeyFrom } from './sms-webhook';
import { createSnsSender } from './sns';
import { outboxOnly, type EmailTransport, type SmsSender } from './transport';

export { createDeliveryWorker, type DeliveryWorker } from './worker';

/**
 * The transports the settings ask for; without any, messages stay in the outbox (status 'outbox').
 * SMS: the webhook (PORTICO_SMS_WEBHOOK_URL) wins over Amazon SNS (PORTICO_SNS_REGION) when both are set:
 * a webhook is the operator's explicit choice of gateway, while an SNS region may be set for other reasons.
 * Only one SMS sender is used, so a message is never sent twice.
 */
export function transportsFromSettings(
  s: Pick<Settings, 'smtpUrl' | 'smtpFrom' | 'smsWebhookUrl' | 'snsRegion' | 'snsEndpoint'>,
  secretKey: string,
): { email: EmailTransport; sms: SmsSender } {
  return {
    email: s.smtpUrl ? createSmtpTransport(s.smtpUrl, s.smtpFrom) : outboxOnly,
    sms: smsSenderFrom(s, secretKey),
  };
}

function smsSenderFrom(s: Pick<Settings, 'smsWebhookUrl' | 'snsRegion' | 'snsEndpoint'>, secretKey: string): SmsSender {
  if (s.smsWebhookUrl) return createWebhookSender(s.smsWebhookUrl, webhookKeyFrom(secretKey));
  if (s.snsRegion) return createSnsSender({ region: s.snsRegion, ...(s.snsEndpoint ? { endpoint: s.snsEndpoint } : {}) });
  return outboxOnly;
}
