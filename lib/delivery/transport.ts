/**
 * What a delivery transport is given: one outbox row, already rendered by the engine.
 */
export interface OutgoingMessage {
  id: string;
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
}

/**
 * 'sent' = handed to a real carrier; 'outbox' = nothing to send it with (it stays readable on /dev/outbox).
 * A transport throws to ask for a retry.
 */
export type DeliveryOutcome = 'sent' | 'outbox';

/** Email transport (SMTP, or none). */
export interface EmailTransport {
  send(message: OutgoingMessage): Promise<DeliveryOutcome>;
  close?(): void;
}

/** SMS sender ('outbox' by default, a signed webhook, or Amazon SNS). */
export interface SmsSender {
  send(message: OutgoingMessage): Promise<DeliveryOutcome>;
}

/** The default for both media when nothing is configured: the message stays in the outbox. */
export const outboxOnly: EmailTransport & SmsSender = {
  async send() {
    return 'outbox';
  },
};
