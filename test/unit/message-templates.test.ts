import { describe, expect, it } from 'vitest';
import {
  localeFromMetadata,
  messageLocale,
  parseTemplate,
  renderMessage,
  segmentsToText,
  type MessageInput,
} from '../../lib/userpool/message-templates';
import type { PoolConfig } from '../../lib/userpool/pools';

const base: MessageInput = { kind: 'verify', medium: 'EMAIL', code: '123456', username: 'ana', locale: 'en', appName: 'Shop' };

describe('parseTemplate', () => {
  it('finds {####}, {username} and {##label##}', () => {
    const segments = parseTemplate('Hi {username}, code {####}. {##Verify Email##}', { code: '42', username: 'ana', link: 'https://x/confirmUser?a=1' });
    expect(segments).toEqual([
      { type: 'text', value: 'Hi ana, code ' },
      { type: 'code', value: '42' },
      { type: 'text', value: '. ' },
      { type: 'link', label: 'Verify Email', href: 'https://x/confirmUser?a=1' },
    ]);
    expect(segmentsToText(segments)).toBe('Hi ana, code 42. Verify Email: https://x/confirmUser?a=1');
  });

  it('keeps only the label of a link placeholder in a message without a link', () => {
    expect(segmentsToText(parseTemplate('{##Verify Email##} {####}', { code: '1', username: 'u' }))).toBe('Verify Email 1');
  });

  it('does not treat replacement patterns in a value as placeholders or $-patterns', () => {
    expect(segmentsToText(parseTemplate('{username}: {####}', { code: "$&{####}$'", username: '{####}' }))).toBe("{####}: $&{####}$'");
  });
});

describe('messageLocale', () => {
  it('takes the caller’s shipped locale, then the user attribute, then English', () => {
    expect(messageLocale('es', 'ar')).toBe('es');
    expect(messageLocale('ar-EG', undefined)).toBe('ar');
    expect(messageLocale('sw', 'es_ES')).toBe('es');
    expect(messageLocale(undefined, 'sw')).toBe('en');
    expect(messageLocale(undefined, undefined)).toBe('en');
  });

  it("reads ClientMetadata['portico:locale']", () => {
    expect(localeFromMetadata({ 'portico:locale': 'es', other: 'x' })).toBe('es');
    expect(localeFromMetadata({ other: 'x' })).toBeUndefined();
    expect(localeFromMetadata(undefined)).toBeUndefined();
  });
});

describe('renderMessage', () => {
  it('renders every kind in every locale with the code, a subject and an HTML part for email only', () => {
    for (const locale of ['en', 'es', 'ar'] as const) {
      for (const kind of ['verify', 'forgot', 'invite', 'mfa', 'verify-attribute'] as const) {
        const email = renderMessage({}, { ...base, kind, locale });
        expect(email.text).toContain('123456');
        expect(email.text).toContain('Shop');
        expect(email.subject).toMatch(/\S/);
        expect(email.subject).not.toMatch(/\{|messages:/);
        expect(email.html).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
        const sms = renderMessage({}, { ...base, kind, locale, medium: 'SMS' });
        expect(sms.text).toContain('123456');
        expect(sms.subject).toBeNull();
        expect(sms.html).toBeNull();
      }
    }
  });

  it("keeps Cognito's default English sentences, so existing parsers of the text still work", () => {
    expect(renderMessage({}, { ...base, kind: 'invite', code: 'T3mp.P@ss' }).text).toMatch(
      /^Your username is ana and temporary password is T3mp\.P@ss\. /,
    );
    expect(renderMessage({}, { ...base, kind: 'verify-attribute' }).text).toMatch(/^Your verification code is 123456\./);
  });

  it('uses the pool template field by field: its message as written, a default subject where it set none', () => {
    const config: PoolConfig = { VerificationMessageTemplate: { EmailMessage: 'Code {####} ' }, SmsVerificationMessage: 'SMS {####}' };
    const out = renderMessage(config, { ...base, locale: 'es' });
    expect(out.text).toBe('Code 123456 ');
    expect(out.subject).toBe('Tu código de verificación para Shop');
    expect(renderMessage(config, { ...base, medium: 'SMS' }).text).toBe('SMS 123456');
    // Legacy top-level fields count as the pool's template too.
    expect(renderMessage({ EmailVerificationSubject: 'Legacy', EmailVerificationMessage: 'L {####}' }, base)).toMatchObject({ subject: 'Legacy', text: 'L 123456' });
  });

  it('takes invitation and MFA texts from their own pool settings', () => {
    const config = {
      AdminCreateUserConfig: { InviteMessageTemplate: { EmailSubject: 'Join', EmailMessage: '{username} / {####}', SMSMessage: 'sms {username} {####}' } },
      EmailMfaConfiguration: { Subject: 'MFA', Message: 'mfa {####}' },
      SmsAuthenticationMessage: 'auth {####}',
    } as PoolConfig;
    expect(renderMessage(config, { ...base, kind: 'invite' })).toMatchObject({ subject: 'Join', text: 'ana / 123456' });
    expect(renderMessage(config, { ...base, kind: 'invite', medium: 'SMS' }).text).toBe('sms ana 123456');
    expect(renderMessage(config, { ...base, kind: 'mfa' })).toMatchObject({ subject: 'MFA', text: 'mfa 123456' });
    expect(renderMessage(config, { ...base, kind: 'mfa', medium: 'SMS' }).text).toBe('auth 123456');
  });

  it('escapes everything in the HTML part and has no scripts, images, tables or remote resources', () => {
    const config: PoolConfig = {
      VerificationMessageTemplate: { EmailSubject: '<img src=x onerror=alert(1)>', EmailMessage: '<script>alert(1)</script>\n{####} "q" & \'a\'' },
    };
    const out = renderMessage(config, { ...base, code: '<b>1</b>', username: '<u>' });
    expect(out.html).not.toMatch(/<script|<img|<table|<b>|<link|url\(/i);
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br>');
    expect(out.html).toContain('&lt;b&gt;1&lt;/b&gt;</strong>');
    expect(out.html).toContain('&quot;q&quot; &amp; &#39;a&#39;');
    expect(out.html).toContain('<title>&lt;img src=x onerror=alert(1)&gt;</title>');
  });

  it('puts a link as a button plus the spelled-out address, and its label as the text part’s prefix', () => {
    const link = 'https://auth.example.com/confirmUser?client_id=c&user_name=ana&confirmation_code=123456';
    const out = renderMessage({}, { ...base, link });
    expect(out.text).toContain(`Verify email: ${link}`);
    expect(out.html).toContain(`<a href="${link.replace(/&/g, '&amp;')}" style="display:inline-block`);
    expect(out.html).toContain('If the button does not work');
  });
});
