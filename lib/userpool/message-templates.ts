import { dirOf, matchLocale, defaultLocale, type Locale } from '../i18n/locales';
import { translator } from '../i18n/translate';
import type { PoolConfig } from './pools';

/**
 * The words of every message the pool sends. A pool's own template (Cognito's VerificationMessageTemplate,
 * the legacy Email/SmsVerification* fields, InviteMessageTemplate, the MFA messages) is the pool's text and
 * is used as it is; where the pool set none, Portico's default text from locales/<lng>/messages.json is
 * used in the recipient's language. Both are rendered into a text part and, for email, an HTML part.
 */
export type MessageKind = 'verify' | 'forgot' | 'invite' | 'mfa' | 'verify-attribute';
export type Medium = 'EMAIL' | 'SMS';

/** The ClientMetadata key through which a caller (the hosted pages) names the language of the message. */
export const LOCALE_METADATA_KEY = 'portico:locale';

export function localeFromMetadata(metadata: Record<string, string> | undefined): string | undefined {
  const value = metadata?.[LOCALE_METADATA_KEY];
  return typeof value === 'string' ? value : undefined;
}

/** The caller's choice when it names a shipped locale, else the user's `locale` attribute, else English. */
export function messageLocale(requested: string | undefined, userLocale: string | undefined): Locale {
  return matchLocale(requested) ?? matchLocale(userLocale) ?? defaultLocale;
}

export interface MessageInput {
  kind: MessageKind;
  medium: Medium;
  /** Sign-up confirmation by link instead of code (DefaultEmailOption CONFIRM_WITH_LINK). */
  link?: string;
  code: string;
  username: string;
  locale: Locale;
  /** The app client's name when the call named a client, the pool's name otherwise. */
  appName: string;
}

export interface RenderedMessage {
  subject: string | null;
  text: string;
  html: string | null;
}

type Segment = { type: 'text'; value: string } | { type: 'code'; value: string } | { type: 'link'; label: string; href: string };

const PLACEHOLDER = /\{####\}|\{username\}|\{##(.*?)##\}/g;

/** Splits a Cognito template into text, the code ({####}) and the link ({##label##}); {username} becomes text. */
export function parseTemplate(template: string, values: { code: string; username: string; link?: string }): Segment[] {
  const out: Segment[] = [];
  const pushText = (value: string) => {
    if (value === '') return;
    const last = out[out.length - 1];
    if (last?.type === 'text') last.value += value;
    else out.push({ type: 'text', value });
  };
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    pushText(template.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[0] === '{####}') out.push({ type: 'code', value: values.code });
    else if (m[0] === '{username}') pushText(values.username);
    else if (values.link) out.push({ type: 'link', label: m[1] ?? '', href: values.link });
    // Without a link (a code message) the placeholder's label stands as plain text, as before.
    else pushText(m[1] ?? '');
  }
  pushText(template.slice(at));
  return out;
}

export function segmentsToText(segments: Segment[]): string {
  return segments.map((s) => (s.type === 'text' ? s.value : s.type === 'code' ? s.value : `${s.label}: ${s.href}`)).join('');
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CODE_STYLE =
  'display:inline-block;margin:4px 0;padding:6px 12px;border-radius:6px;background:#f1f5f9;color:#0f172a;' +
  'font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:28px;font-weight:700;letter-spacing:4px';
const BUTTON_STYLE =
  'display:inline-block;margin:8px 0;padding:12px 20px;border-radius:6px;background:#1d4ed8;color:#ffffff;' +
  'font-weight:600;text-decoration:none';

function segmentsToHtml(segments: Segment[]): string {
  return segments
    .map((s) => {
      if (s.type === 'text') return escapeHtml(s.value).replace(/\r?\n/g, '<br>');
      // Codes and temporary passwords read left to right in every language.
      if (s.type === 'code') return `<strong dir="ltr" style="${CODE_STYLE}">${escapeHtml(s.value)}</strong>`;
      return `<a href="${escapeHtml(s.href)}" style="${BUTTON_STYLE}">${escapeHtml(s.label)}</a>`;
    })
    .join('');
}

/** SetUserPoolMfaConfig's settings, which the stored pool document carries beside UserPoolType's fields. */
interface MfaMessages {
  EmailMfaConfiguration?: { Message?: string; Subject?: string };
  SmsMfaConfiguration?: { SmsAuthenticationMessage?: string };
}

/** The pool's own words for this message, where it set them. */
function poolTemplate(config: PoolConfig & MfaMessages, input: MessageInput): { subject?: string; message?: string } {
  const vt = config.VerificationMessageTemplate ?? {};
  const email = input.medium === 'EMAIL';
  switch (input.kind) {
    case 'invite': {
      const t = config.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
      return email ? { subject: t.EmailSubject, message: t.EmailMessage } : { message: t.SMSMessage };
    }
    case 'mfa':
      return email
        ? { subject: config.EmailMfaConfiguration?.Subject, message: config.EmailMfaConfiguration?.Message }
        : { message: config.SmsMfaConfiguration?.SmsAuthenticationMessage ?? config.SmsAuthenticationMessage };
    default:
      if (!email) return { message: vt.SmsMessage ?? config.SmsVerificationMessage };
      if (input.link) return { subject: vt.EmailSubjectByLink, message: vt.EmailMessageByLink };
      return {
        subject: vt.EmailSubject ?? config.EmailVerificationSubject,
        message: vt.EmailMessage ?? config.EmailVerificationMessage,
      };
  }
}

/** Section of messages.json for each kind of message. */
function defaultsKey(input: MessageInput): string {
  switch (input.kind) {
    case 'verify':
      return input.link ? 'signupLink' : 'signup';
    case 'forgot':
      return 'forgot';
    case 'verify-attribute':
      return 'attribute';
    case 'invite':
      return 'invite';
    case 'mfa':
      return 'mfa';
  }
}

function htmlDocument(o: {
  locale: Locale;
  subject: string;
  appName: string;
  body: string[];
  fallbackLink?: { intro: string; href: string };
  footer?: string;
}): string {
  const dir = dirOf(o.locale);
  const paragraphs = o.body.map((p) => `<p style="margin:0 0 16px">${p}</p>`).join('\n');
  const fallback = o.fallbackLink
    ? `<p style="margin:0 0 16px;font-size:14px;color:#475569">${escapeHtml(o.fallbackLink.intro)}<br>` +
      `<a href="${escapeHtml(o.fallbackLink.href)}" dir="ltr" style="color:#1d4ed8;word-break:break-all">${escapeHtml(o.fallbackLink.href)}</a></p>\n`
    : '';
  const footer = o.footer ? `<p style="margin:16px 0 0;font-size:13px;color:#475569">${escapeHtml(o.footer)}</p>\n` : '';
  return `<!doctype html>
<html lang="${o.locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(o.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f8fafc;color:#0f172a;font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans','DejaVu Sans',Arial,sans-serif;font-size:16px;line-height:1.6">
<div role="article" aria-label="${escapeHtml(o.subject)}" lang="${o.locale}" dir="${dir}" style="max-width:560px;margin:0 auto;padding:24px 16px">
<div style="background:#ffffff;border:1px solid #e2e8f0;border-radius:8px;padding:28px 24px">
<p style="margin:0 0 8px;font-size:14px;font-weight:600;color:#475569">${escapeHtml(o.appName)}</p>
<h1 style="margin:0 0 20px;font-size:22px;line-height:1.3">${escapeHtml(o.subject)}</h1>
${paragraphs}
${fallback}</div>
${footer}</div>
</body>
</html>
`;
}

/** Renders one message: the pool's template where it has one, Portico's translated default otherwise. */
export function renderMessage(config: PoolConfig, input: MessageInput): RenderedMessage {
  const tr = translator(input.locale, 'messages');
  const key = defaultsKey(input);
  const own = poolTemplate(config, input);
  const values = { code: input.code, username: input.username, ...(input.link ? { link: input.link } : {}) };
  const app = { app: input.appName };
  const message = parseTemplate(own.message ?? tr.t(`${key}.message`, app), values);

  // A pool's template is sent exactly as the pool wrote it; Portico's own defaults get tidy spacing.
  const ownText = own.message !== undefined;
  if (input.medium === 'SMS') return { subject: null, text: ownText ? segmentsToText(message) : segmentsToText(message).trim(), html: null };

  const subject = segmentsToText(parseTemplate(own.subject ?? tr.t(`${key}.subject`, app), values)).trim();
  const detail = ownText ? undefined : tr.t(`${key}.detail`, app);
  const footer = ownText ? undefined : tr.t('footer', app);
  const link = message.find((s): s is Extract<Segment, { type: 'link' }> => s.type === 'link');

  const text = ownText ? segmentsToText(message) : [segmentsToText(message).trimEnd(), detail, footer].filter((p): p is string => !!p).join('\n\n');
  const html = htmlDocument({
    locale: input.locale,
    subject,
    appName: input.appName,
    body: [segmentsToHtml(message), ...(detail ? [escapeHtml(detail)] : [])],
    ...(link ? { fallbackLink: { intro: tr.t('linkFallback'), href: link.href } } : {}),
    ...(footer ? { footer } : {}),
  });
  return { subject, text, html };
}
