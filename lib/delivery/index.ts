import type { Settings } from '../config/env';
import { createSmtpTransport } from './smtp';
import { createWebhookSender, webhookKeyFrom } from './sms-webhook';
import { outboxOnly, type EmailTransport, type SmsSender } from './transport';

export { createDeliveryWorker, type DeliveryWorker } from './worker';

/** The transports the settings ask for; without any, messages stay in the outbox (status 'outbox'). */
export function transportsFromSettings(
  s: Pick<Settings, 'smtpUrl' | 'smtpFrom' | 'smsWebhookUrl'>,
  secretKey: string,
): { email: EmailTransport; sms: SmsSender } {
  return {
    email: s.smtpUrl ? createSmtpTransport(s.smtpUrl, s.smtpFrom) : outboxOnly,
    sms: s.smsWebhookUrl ? createWebhookSender(s.smsWebhookUrl, webhookKeyFrom(secretKey)) : outboxOnly,
  };
}
