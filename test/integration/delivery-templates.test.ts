import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { mailHeaders, mimeParts } from '../helpers/mime';
import { PASSWORD, makeClient, makePool } from './auth-fixtures';
import { lastCode } from '../helpers/self-service';
import { createDeliveryWorker, type DeliveryWorker } from '../../lib/delivery';
import { createSmtpTransport } from '../../lib/delivery/smtp';

/**
 * What the pool's messages say: Portico's defaults in the recipient's language (ClientMetadata
 * 'portico:locale', else the user's `locale` attribute, else English), the pool's own Cognito templates
 * when it has them, the confirmation link, and an HTML part beside the text — all the way over SMTP.
 */
let t: TestPool;
let pub: CognitoIdentityProviderClient;
const pools: Record<'plain' | 'own' | 'link' | 'ownLink', { poolId: string; clientId: string }> = {} as never;
const workers: DeliveryWorker[] = [];
const sinks: SmtpSink[] = [];

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  const setups = {
    plain: {},
    own: {
      VerificationMessageTemplate: {
        EmailSubject: 'Bienvenue chez <Acme>',
        EmailMessage: 'Votre code: {####} & merci <b>!</b>',
        SmsMessage: 'Acme {####}',
      },
    },
    link: { VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK' as const } },
    ownLink: {
      VerificationMessageTemplate: {
        DefaultEmailOption: 'CONFIRM_WITH_LINK' as const,
        EmailSubjectByLink: 'Confirm with Acme',
        EmailMessageByLink: 'Hello! {##Confirm my account##} Thanks.',
      },
    },
  };
  for (const [name, extra] of Object.entries(setups)) {
    const poolId = await makePool(t, { PoolName: `pool-${name}`, AutoVerifiedAttributes: ['email'], ...extra });
    const { clientId } = await makeClient(t, poolId, { ClientName: 'Tienda Portico' });
    pools[name as keyof typeof pools] = { poolId, clientId };
  }
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});
afterAll(async () => t?.close());

async function signUp(pool: keyof typeof pools, username: string, email: string, opts: { locale?: string; attrLocale?: string } = {}) {
  await pub.send(
    new SignUpCommand({
      ClientId: pools[pool].clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }, ...(opts.attrLocale ? [{ Name: 'locale', Value: opts.attrLocale }] : [])],
      ...(opts.locale ? { ClientMetadata: { 'portico:locale': opts.locale } } : {}),
    }),
  );
  return t.db.selectFrom('outbox').selectAll().where('to_addr', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
}

describe('default texts in the recipient language', () => {
  it('a sign-up with ClientMetadata portico:locale=es gets a Spanish subject and body with the code', async () => {
    const row = await signUp('plain', 'ana', 'ana@example.com', { locale: 'es' });
    const code = await lastCode(t, 'ana@example.com');
    expect(row.subject).toBe('Tu código de verificación para Tienda Portico');
    expect(row.body_text).toContain(`Tu código de verificación es ${code}.`);
    expect(row.body_text).toContain('Introdúcelo para confirmar tu registro en Tienda Portico.');
    const html = row.html!;
    expect(html).toContain('<html lang="es" dir="ltr">');
    expect(html).toContain(`>${code}</strong>`);
    expect(html).toContain('>Tienda Portico</p>');
    expect(html).not.toMatch(/<script|<img|<table|https?:\/\/(?!localhost|127\.0\.0\.1)/i);
  });

  it("a user whose locale attribute is ar gets Arabic, with dir=rtl in the HTML", async () => {
    const row = await signUp('plain', 'omar', 'omar@example.com', { attrLocale: 'ar' });
    const code = await lastCode(t, 'omar@example.com');
    expect(row.subject).toBe('رمز التحقق الخاص بك في Tienda Portico');
    expect(row.body_text).toContain(`رمز التحقق الخاص بك هو ${code}.`);
    expect(row.html).toContain('<html lang="ar" dir="rtl">');
    expect(row.html).toContain(`<strong dir="ltr"`);
  });

  it('the caller’s locale wins over the attribute; an unshipped one falls back to the attribute, then English', async () => {
    expect((await signUp('plain', 'eva', 'eva@example.com', { locale: 'es-MX', attrLocale: 'ar' })).subject).toMatch(/^Tu código/);
    expect((await signUp('plain', 'jean', 'jean@example.com', { locale: 'sw', attrLocale: 'ar' })).subject).toMatch(/^رمز/);
    const en = await signUp('plain', 'joe', 'joe@example.com', { locale: 'sw' });
    expect(en.subject).toBe('Your verification code for Tienda Portico');
    expect(en.body_text).toMatch(/^Your verification code is \d{6}\./);
  });

  it('ForgotPassword and invitations use their own translated texts', async () => {
    const { poolId, clientId } = pools.plain;
    const admin = t.adminClient();
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'lucia',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [{ Name: 'email', Value: 'lucia@example.com' }, { Name: 'email_verified', Value: 'true' }],
      ClientMetadata: { 'portico:locale': 'es' },
    }));
    const invite = await t.db.selectFrom('outbox').selectAll().where('to_addr', '=', 'lucia@example.com').executeTakeFirstOrThrow();
    // No client named: the pool's name heads the invitation.
    expect(invite.subject).toBe('Tu contraseña temporal para pool-plain');
    expect(invite.body_text).toMatch(/^Tu nombre de usuario es lucia y tu contraseña temporal es \S+\. /);

    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'pablo',
      MessageAction: 'SUPPRESS',
      TemporaryPassword: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'pablo@example.com' }, { Name: 'email_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'pablo', Password: PASSWORD, Permanent: true }));
    await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'pablo', ClientMetadata: { 'portico:locale': 'ar' } }));
    const forgot = await t.db.selectFrom('outbox').selectAll().where('to_addr', '=', 'pablo@example.com').executeTakeFirstOrThrow();
    expect(forgot.subject).toBe('إعادة تعيين كلمة المرور في Tienda Portico');
    expect(forgot.body_text).toContain(`رمز إعادة تعيين كلمة المرور الخاص بك هو ${await lastCode(t, 'pablo@example.com')}.`);
  });
});

describe("the pool's own templates", () => {
  it('win over the defaults, whatever the locale, and are escaped in the HTML part', async () => {
    const row = await signUp('own', 'pierre', 'pierre@example.com', { locale: 'es' });
    const code = await lastCode(t, 'pierre@example.com');
    expect(row.subject).toBe('Bienvenue chez <Acme>');
    expect(row.body_text).toBe(`Votre code: ${code} & merci <b>!</b>`);
    expect(row.html).toContain(`Votre code: <strong dir="ltr"`);
    expect(row.html).toContain('&amp; merci &lt;b&gt;!&lt;/b&gt;');
    expect(row.html).not.toContain('<b>');
    expect(row.html).toContain('<title>Bienvenue chez &lt;Acme&gt;</title>');
  });
});

describe('confirmation by link (CONFIRM_WITH_LINK)', () => {
  function linkIn(text: string): URL {
    const m = /(https?:\/\/\S+\/confirmUser\?\S+)/.exec(text);
    expect(m, `a link in ${text}`).not.toBeNull();
    return new URL(m![1]!);
  }

  it('the default template holds a working /confirmUser?client_id&user_name&confirmation_code link, as a button', async () => {
    const row = await signUp('link', 'lina', 'lina@example.com', { locale: 'es' });
    expect(row.subject).toBe('Confirma tu dirección de correo para Tienda Portico');
    const url = linkIn(row.body_text);
    expect(url.pathname).toBe('/confirmUser');
    expect([...url.searchParams.keys()]).toEqual(['client_id', 'user_name', 'confirmation_code']);
    expect(url.searchParams.get('client_id')).toBe(pools.link.clientId);
    expect(url.searchParams.get('user_name')).toBe('lina');
    expect(url.searchParams.get('confirmation_code')).toMatch(/^\d{6}$/);
    expect(row.body_text).toContain(`Verificar correo: ${url.href}`);
    // The HTML part: the same link as a button (escaped) and spelled out for mail readers without buttons.
    const href = url.href.replace(/&/g, '&amp;');
    expect(row.html).toContain(`<a href="${href}" style="display:inline-block`);
    expect(row.html).toContain('>Verificar correo</a>');
    expect(row.html).toContain(`dir="ltr" style="color:#1d4ed8;word-break:break-all">${href}</a>`);

    // The link's parameters confirm the sign-up (what /confirmUser does with them).
    await pub.send(
      new ConfirmSignUpCommand({
        ClientId: url.searchParams.get('client_id')!,
        Username: url.searchParams.get('user_name')!,
        ConfirmationCode: url.searchParams.get('confirmation_code')!,
      }),
    );
    const user = await t.adminClient().send(new AdminGetUserCommand({ UserPoolId: pools.link.poolId, Username: 'lina' }));
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it("the pool's EmailMessageByLink puts the link where {##…##} stands, with the pool's label", async () => {
    const row = await signUp('ownLink', 'liam', 'liam@example.com', { locale: 'ar' });
    expect(row.subject).toBe('Confirm with Acme');
    const url = linkIn(row.body_text);
    expect(row.body_text).toBe(`Hello! Confirm my account: ${url.href} Thanks.`);
    expect(row.html).toContain('>Confirm my account</a>');
    // Still the recipient's direction around the pool's words.
    expect(row.html).toContain('<html lang="ar" dir="rtl">');
  });
});

describe('over SMTP', () => {
  it('a Spanish and an Arabic email leave with their subject, code, text and HTML parts', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const w = createDeliveryWorker({
      db: t.db,
      clock: t.clock,
      email: createSmtpTransport(sink.url, 'Portico <no-reply@portico.test>'),
      sms: { send: async () => 'outbox' },
    });
    workers.push(w);
    await signUp('plain', 'sofia', 'sofia@example.com', { locale: 'es' });
    await signUp('plain', 'layla', 'layla@example.com', { attrLocale: 'ar' });
    await w.tick();

    for (const [to, subject, sentence, lang] of [
      ['sofia@example.com', 'Tu código de verificación para Tienda Portico', 'Tu código de verificación es', 'lang="es" dir="ltr"'],
      ['layla@example.com', 'رمز التحقق الخاص بك في Tienda Portico', 'رمز التحقق الخاص بك هو', 'lang="ar" dir="rtl"'],
    ] as const) {
      const mail = sink.mails.find((m) => m.to.includes(to));
      expect(mail, `a mail to ${to}`).toBeDefined();
      const code = await lastCode(t, to);
      expect(mailHeaders(mail!.raw).subject).toBe(subject);
      expect(mailHeaders(mail!.raw)['content-type']).toMatch(/^multipart\/alternative/);
      const parts = mimeParts(mail!.raw);
      const text = parts.find((p) => p.contentType === 'text/plain');
      const html = parts.find((p) => p.contentType === 'text/html');
      expect(text?.body).toContain(`${sentence} ${code}.`);
      expect(html?.body).toContain(`<html ${lang}>`);
      expect(html?.body).toContain(`>${code}</strong>`);
    }
  });
});
