import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, makeClient, makePool } from './auth-fixtures';
import { lastCode } from '../helpers/self-service';
import { createDeliveryWorker, transportsFromSettings, type DeliveryWorker } from '../../lib/delivery';
import { createSnsSender } from '../../lib/delivery/sns';
import { outboxOnly, type SmsSender } from '../../lib/delivery/transport';

/**
 * SMS through Amazon SNS (lib/delivery/sns.ts) against a tiny local server that speaks SNS's Query
 * protocol: the real AWS SDK signs and posts `Action=Publish&PhoneNumber=…&Message=…`, the server answers
 * SNS's XML. Credentials come from the standard provider chain (here: the environment).
 */
interface Publish {
  params: URLSearchParams;
  authorization: string | undefined;
}

interface FakeSns {
  url: string;
  got: Publish[];
  /** Answers to give before the normal success answer (e.g. one throttling error). */
  failures: Array<{ status: number; code: string; message: string }>;
  close(): Promise<void>;
}

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

async function fakeSns(): Promise<FakeSns> {
  const got: Publish[] = [];
  const failures: FakeSns['failures'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      got.push({ params, authorization: req.headers.authorization });
      const failure = failures.shift();
      if (failure) {
        res.writeHead(failure.status, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${failure.code}</Code><Message>${failure.message}</Message></Error><RequestId>r-${got.length}</RequestId></ErrorResponse>`,
        );
        return;
      }
      if (params.get('Action') !== 'Publish' || !params.get('PhoneNumber') || !params.get('Message')) {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(`<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>bad request</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>m-${got.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${got.length}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    got,
    failures,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The message attributes of a Publish, as the Query protocol flattens them. */
function messageAttributes(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i++) {
    out[params.get(`MessageAttributes.entry.${i}.Name`)!] = params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
  }
  return out;
}

let t: TestPool;
let pub: CognitoIdentityProviderClient;
let clientId: string;
let sns: FakeSns;
const workers: DeliveryWorker[] = [];
const savedEnv: Record<string, string | undefined> = {};
const ENV = { AWS_ACCESS_KEY_ID: 'AKIDSNSTESTKEY000001', AWS_SECRET_ACCESS_KEY: 'sns-test-secret', AWS_SESSION_TOKEN: undefined };

beforeAll(async () => {
  // The provider chain finds these first, so it never probes the instance metadata address (G15).
  for (const [k, v] of Object.entries(ENV)) {
    savedEnv[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  t = await startTestPool();
  pub = t.publicClient();
  const poolId = await makePool(t, { AutoVerifiedAttributes: ['phone_number'], UsernameAttributes: ['phone_number'] });
  ({ clientId } = await makeClient(t, poolId, { ClientName: 'Tienda' }));
  sns = await fakeSns();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  sns.got.length = 0;
  sns.failures.length = 0;
});
afterAll(async () => {
  await sns?.close();
  await t?.close();
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function worker(sms: SmsSender): DeliveryWorker {
  const w = createDeliveryWorker({ db: t.db, clock: t.clock, email: outboxOnly, sms });
  workers.push(w);
  return w;
}

async function row(to: string) {
  return t.db.selectFrom('outbox').selectAll().where('to_addr', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
}

const signUp = (phone: string, locale?: string) =>
  pub.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: phone,
      Password: PASSWORD,
      ...(locale ? { ClientMetadata: { 'portico:locale': locale } } : {}),
    }),
  );

describe('SMS through Amazon SNS', () => {
  it("publishes SignUp's code (in the caller's language) to the phone number as a Transactional SMS", async () => {
    const { sms } = transportsFromSettings({ smtpFrom: 'x <x@example.com>', snsRegion: 'eu-west-1', snsEndpoint: sns.url }, t.secretKey);
    const w = worker(sms);
    await signUp('+34600000001', 'es');
    expect((await row('+34600000001')).status).toBe('queued');
    await w.tick();

    const code = await lastCode(t, '+34600000001');
    expect(sns.got).toHaveLength(1);
    const { params, authorization } = sns.got[0]!;
    expect(params.get('Action')).toBe('Publish');
    expect(params.get('PhoneNumber')).toBe('+34600000001');
    expect(params.get('Message')).toBe(`Tu código de verificación es ${code}.`);
    expect(params.has('TopicArn')).toBe(false);
    expect(messageAttributes(params)).toEqual({ 'AWS.SNS.SMS.SMSType': 'Transactional' });
    // Signed (SigV4) with the credentials the provider chain found, for the configured region.
    expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSNSTESTKEY000001\/\d{8}\/eu-west-1\/sns\/aws4_request/);
    const r = await row('+34600000001');
    expect(r.status).toBe('sent');
    expect(Number(r.attempts)).toBe(0);
  });

  it('retries a throttled publish with back-off and sends it on the next try', async () => {
    const w = worker(createSnsSender({ region: 'us-east-1', endpoint: sns.url }));
    sns.failures.push({ status: 400, code: 'Throttling', message: 'Rate exceeded' });
    await signUp('+34600000002');
    await w.tick();
    let r = await row('+34600000002');
    expect(sns.got).toHaveLength(1);
    expect(r.status).toBe('queued');
    expect(Number(r.attempts)).toBe(1);
    expect(r.last_error).toMatch(/Rate exceeded/);
    expect(Number(r.next_attempt_at)).toBeGreaterThan(t.clock.now());

    // Not before its back-off (the SDK itself does not retry: one request per try).
    await w.tick();
    expect(sns.got).toHaveLength(1);
    t.clock.advance(2_000);
    await w.tick();
    r = await row('+34600000002');
    expect(sns.got).toHaveLength(2);
    expect(r.status).toBe('sent');
    expect(r.last_error).toBeNull();
    expect(sns.got[1]!.params.get('Message')).toBe(`Your verification code is ${await lastCode(t, '+34600000002')}.`);
  });

  it('keeps the message queued when SNS answers a server error', async () => {
    const w = worker(createSnsSender({ region: 'us-east-1', endpoint: sns.url }));
    sns.failures.push({ status: 500, code: 'InternalError', message: 'We encountered an internal error' });
    await signUp('+34600000003');
    await w.tick();
    const r = await row('+34600000003');
    expect(r.status).toBe('queued');
    expect(r.last_error).toMatch(/internal error/);
  });

  it('uses the webhook, not SNS, when both are configured', async () => {
    const { sms } = transportsFromSettings(
      { smtpFrom: 'x <x@example.com>', snsRegion: 'eu-west-1', snsEndpoint: sns.url, smsWebhookUrl: 'http://127.0.0.1:9/unreachable' },
      t.secretKey,
    );
    const w = worker(sms);
    await signUp('+34600000004');
    await w.tick();
    expect(sns.got).toHaveLength(0);
    expect((await row('+34600000004')).last_error).not.toBeNull();
  });
});
