import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { OutgoingMessage, SmsSender } from './transport';

export interface SnsOptions {
  region: string;
  /** A local or private endpoint (PORTICO_SNS_ENDPOINT); AWS's regional endpoint otherwise. */
  endpoint?: string;
  /** Tests pass fixed credentials; production uses the standard AWS provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * SMS through Amazon SNS: one Publish per message straight to the phone number, marked Transactional
 * (SNS then favours delivery over cost, as codes need). The worker owns retries and back-off, so the
 * SDK makes a single attempt: its own retries would hide failures from the outbox and stretch a try past
 * the sending lease.
 */
export function createSnsSender(options: SnsOptions): SmsSender {
  const client = new SNSClient({
    region: options.region,
    maxAttempts: 1,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return {
    async send(message: OutgoingMessage) {
      await client.send(
        new PublishCommand({
          PhoneNumber: message.to,
          Message: message.text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          },
        }),
        { abortSignal: AbortSignal.timeout(30_000) },
      );
      return 'sent';
    },
  };
}
