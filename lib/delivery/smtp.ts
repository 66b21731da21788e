import nodemailer from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { EmailTransport, OutgoingMessage } from './transport';

/**
 * Email over SMTP (PORTICO_SMTP_URL: smtp:// or smtps://, credentials in the URL). nodemailer keeps no
 * pool here: one connection per message is enough for codes and invitations, and a server that went
 * away is simply reconnected on the next try.
 */
export function createSmtpTransport(url: string, from: string): EmailTransport {
  // Every try ends well within the worker's sending lease (SENDING_LEASE_MS, 5 min), so a hung server
  // cannot make a second instance send the same message. Query parameters in the URL still override.
  const transporter = nodemailer.createTransport(
    new SMTPTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 }),
  );
  return {
    async send(message: OutgoingMessage) {
      await transporter.sendMail({
        from,
        to: message.to,
        subject: message.subject ?? '',
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        // The outbox id makes a resend after a lost acknowledgement recognisable to the receiver.
        messageId: `<${message.id}@portico>`,
      });
      return 'sent';
    },
    close() {
      transporter.close();
    },
  };
}
