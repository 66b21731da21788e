import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, hkdfSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp-sink';
import { mimeParts } from '../helpers/mime';
import { PASSWORD, makeClient, makePool } from './auth-fixtures';
import { lastCode } from '../helpers/self-service';
import { enqueueMessage } from '../../lib/userpool/outbox';
import { createDeliveryWorker, transportsFromSettings, type DeliveryWorker } from '../../lib/delivery';
import { createSmtpTransport } from '../../lib/delivery/smtp';
import { createWebhookSender, webhookKeyFrom } from '../../lib/delivery/sms-webhook';
import { outboxOnly, type EmailTransport, type OutgoingMessage } from '../../lib/delivery/transport';
import { MAX_ATTEMPTS } from '../../lib/delivery/backoff';

let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
const workers: DeliveryWorker[] = [];
const sinks: SmtpSink[] = [];
const FROM = 'Portico Tests <no-reply@portico.test>';

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t, {
    AutoVerifiedAttributes: ['email'],
    VerificationMessageTemplate: {
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
      EmailSubject: 'Welcome to Portico',
      EmailMessage: 'Your confirmation code is {####}',
    },
  });
  ({ clientId } = await makeClient(t, poolId));
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});
afterAll(async () => t?.close());

function worker(email: EmailTransport, sms = outboxOnly): DeliveryWorker {
  const w = createDeliveryWorker({ db: t.db, clock: t.clock, email, sms });
  workers.push(w);
  return w;
}

async function sink(port = 0, mails?: ReceivedMail[]): Promise<SmtpSink> {
  const s = await startSmtpSink(port, mails);
  sinks.push(s);
  return s;
}

async function row(to: string) {
  return t.db.selectFrom('outbox').selectAll().where('to_addr', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
}

const signUp = (username: string, email: string) =>
  pub.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));

describe('email over SMTP', () => {
  it("delivers SignUp's confirmation email with its subject and code", async () => {
    const s = await sink();
    const w = worker(createSmtpTransport(s.url, FROM));
    await signUp('mailed', 'mailed@example.com');
    expect((await row('mailed@example.com')).status).toBe('queued');
    expect(await w.tick()).toBeGreaterThanOrEqual(1);

    const code = await lastCode(t, 'mailed@example.com');
    const mail = s.mails.find((m) => m.to.includes('mailed@example.com'));
    expect(mail, 'a mail to mailed@example.com').toBeDefined();
    expect(mail!.from).toBe('no-reply@portico.test');
    expect(mail!.subject).toBe('Welcome to Portico');
    expect(mail!.raw).toContain(`Your confirmation code is ${code}`);
    const r = await row('mailed@example.com');
    expect(r.status).toBe('sent');
    expect(Number(r.sent_at)).toBeGreaterThan(0);
    expect(mail!.messageId).toBe(`<${r.id}@portico>`);
    // Sent rows are not picked up again.
    expect(await w.tick()).toBe(0);
    expect(s.mails.filter((m) => m.to.includes('mailed@example.com'))).toHaveLength(1);
  });

  it('keeps the message queued while the server is down and delivers it when it is back', async () => {
    const first = await sink();
    const port = first.port;
    await first.close();
    sinks.splice(sinks.indexOf(first), 1);
    const w = worker(createSmtpTransport(`smtp://127.0.0.1:${port}`, FROM));

    // The API call does not wait for (or fail with) the transport.
    await signUp('retried', 'retried@example.com');
    await w.tick();
    let r = await row('retried@example.com');
    expect(r.status).toBe('queued');
    expect(Number(r.attempts)).toBe(1);
    expect(r.last_error).toMatch(/ECONNREFUSED/);
    expect(Number(r.next_attempt_at)).toBeGreaterThanOrEqual(t.clock.now() + 1500);

    const mails: ReceivedMail[] = [];
    await sink(port, mails);
    // Not due yet: back-off is 2 s after the first failure.
    await w.tick();
    expect((await row('retried@example.com')).status).toBe('queued');
    expect(mails).toHaveLength(0);

    t.clock.advance(2_000);
    await w.tick();
    r = await row('retried@example.com');
    expect(r.status).toBe('sent');
    expect(Number(r.attempts)).toBe(1);
    expect(r.last_error).toBeNull();
    const code = await lastCode(t, 'retried@example.com');
    expect(mails.map((m) => m.to)).toEqual([['retried@example.com']]);
    // The queued row kept both parts: the mail that finally leaves is text and HTML, with the code in each.
    const parts = mimeParts(mails[0]!.raw);
    expect(parts.map((p) => p.contentType)).toEqual(['text/plain', 'text/html']);
    expect(parts[0]!.body.trim()).toBe(`Your confirmation code is ${code}`);
    expect(parts[1]!.body).toContain(`>${code}</strong>`);
  });

  it(`gives up after ${MAX_ATTEMPTS} failed attempts (status failed)`, async () => {
    const failing: EmailTransport = {
      async send() {
        throw new Error('mailbox unavailable');
      },
    };
    const w = worker(failing);
    await enqueueMessage(t.engine.deps, { poolId, to: 'never@example.com', medium: 'EMAIL', subject: 's', text: 'x' });
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await w.tick();
      t.clock.advance(5 * 60_000);
    }
    const r = await row('never@example.com');
    expect(r.status).toBe('failed');
    expect(Number(r.attempts)).toBe(MAX_ATTEMPTS);
    expect(r.last_error).toBe('mailbox unavailable');
    expect(r.next_attempt_at).toBeNull();
    await w.tick();
    expect(Number((await row('never@example.com')).attempts)).toBe(MAX_ATTEMPTS);
  });

  it("without SMTP settings emails stay in the outbox with status 'outbox'", async () => {
    const { email, sms } = transportsFromSettings({ smtpFrom: FROM }, t.secretKey);
    const w = worker(email, sms);
    await enqueueMessage(t.engine.deps, { poolId, to: 'nowhere@example.com', medium: 'EMAIL', subject: 's', text: 'x' });
    await enqueueMessage(t.engine.deps, { poolId, to: '+15550001111', medium: 'SMS', text: 'y' });
    await w.tick();
    expect((await row('nowhere@example.com')).status).toBe('outbox');
    expect((await row('+15550001111')).status).toBe('outbox');
  });
});

describe('claims', () => {
  it('two workers on one database send each message once', async () => {
    const sent: string[] = [];
    const counting: EmailTransport = {
      async send(m: OutgoingMessage) {
        sent.push(m.to);
        await new Promise((r) => setTimeout(r, 5));
        return 'sent';
      },
    };
    const a = worker(counting);
    const b = worker(counting);
    const targets = Array.from({ length: 12 }, (_, i) => `twice${i}@example.com`);
    for (const to of targets) await enqueueMessage(t.engine.deps, { poolId, to, medium: 'EMAIL', subject: 's', text: 'x' });
    const [ha, hb] = await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.tick(), b.tick()]);
    expect(ha + hb).toBeGreaterThanOrEqual(targets.length);
    expect(sent.filter((to) => to.startsWith('twice')).sort()).toEqual([...targets].sort());
    for (const to of targets) expect((await row(to)).status).toBe('sent');
  });
});

describe('SMS webhook', () => {
  async function receiver(status: number) {
    const got: Array<{ body: string; signature: string | undefined; type: string | undefined }> = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: req.headers['x-portico-signature'] as string | undefined,
          type: req.headers['content-type'],
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    return { got, url, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it('posts {to, text, id} signed with HMAC-SHA256 under a key derived from PORTICO_SECRET_KEY', async () => {
    const rx = await receiver(204);
    try {
      const { email, sms } = transportsFromSettings({ smtpFrom: FROM, smsWebhookUrl: rx.url }, t.secretKey);
      const w = worker(email, sms);
      const id = await enqueueMessage(t.engine.deps, { poolId, to: '+15550002222', medium: 'SMS', text: 'Your code is 123456' });
      await w.tick();
      expect(rx.got).toHaveLength(1);
      const [req] = rx.got;
      expect(req!.type).toBe('application/json');
      expect(JSON.parse(req!.body)).toEqual({ to: '+15550002222', text: 'Your code is 123456', id });
      const key = Buffer.from(hkdfSync('sha256', t.secretKey, 'portico', 'sms-webhook', 32));
      expect(req!.signature).toBe(createHmac('sha256', key).update(req!.body).digest('hex'));
      expect(req!.signature).not.toBe(createHmac('sha256', 'other-key').update(req!.body).digest('hex'));
      const r = await row('+15550002222');
      expect(r.status).toBe('sent');
    } finally {
      await rx.close();
    }
  });

  it('retries when the webhook answers an error', async () => {
    const rx = await receiver(500);
    try {
      const w = worker(outboxOnly, createWebhookSender(rx.url, webhookKeyFrom(t.secretKey)));
      await enqueueMessage(t.engine.deps, { poolId, to: '+15550003333', medium: 'SMS', text: 'hello' });
      await w.tick();
      const r = await row('+15550003333');
      expect(rx.got).toHaveLength(1);
      expect(r.status).toBe('queued');
      expect(Number(r.attempts)).toBe(1);
      expect(r.last_error).toBe('SMS webhook answered HTTP 500');
    } finally {
      await rx.close();
    }
  });
});
