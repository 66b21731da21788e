import { createHmac, hkdfSync } from 'node:crypto';
import type { OutgoingMessage, SmsSender } from './transport';

/** The HMAC key of webhook signatures, derived from the master key so the receiver needs only this key. */
export function webhookKeyFrom(secretKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, 'portico', 'sms-webhook', 32));
}

export function signWebhookBody(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

/**
 * SMS through the operator's own gateway: a JSON POST {to, text, id} with `x-portico-signature` = hex
 * HMAC-SHA256 of the exact body. Any non-2xx answer is a failure to retry.
 */
export function createWebhookSender(url: string, key: Buffer, timeoutMs = 10_000): SmsSender {
  return {
    async send(message: OutgoingMessage) {
      const body = JSON.stringify({ to: message.to, text: message.text, id: message.id });
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-portico-signature': signWebhookBody(key, body) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`SMS webhook answered HTTP ${res.status}`);
      return 'sent';
    },
  };
}
