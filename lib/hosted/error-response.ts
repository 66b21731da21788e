import { html, type HttpIn, type HttpOut } from './http';
import { localeOf } from './locale';
import { translator } from '../i18n/translate';
import { escapeHtml } from '../security/plain-page';
import type { Translator } from '../i18n/translate';
import { NONCE_HEADER } from '../security/markers';

/**
 * Error pages answered directly by a handler (no redirect): the authorization endpoint's errors before
 * the client and redirect URI are known good (400, never a redirect), a CSRF failure (403). Translated,
 * plain HTML under the request's CSP nonce, `Cache-Control: no-store`.
 */
export const PAGE_ERRORS = [
  'invalid_request',
  'invalid_client',
  'redirect_mismatch',
  'unauthorized_client',
  'unsupported_response_type',
  'invalid_scope',
  'csrf',
  'expired',
  'unsupported_challenge',
  'server_error',
  'temporarily_unavailable',
  'method_not_allowed',
  'not_found',
] as const;
export type PageError = (typeof PAGE_ERRORS)[number];

export function isPageError(value: unknown): value is PageError {
  return typeof value === 'string' && (PAGE_ERRORS as readonly string[]).includes(value);
}

// The look of Portico's sign-in pages, for the few answered as HTML strings (no React, no stylesheet link).
const STYLE =
  '*{box-sizing:border-box}body{margin:0;font-family:system-ui,"DejaVu Sans","Noto Sans",sans-serif;background:#fafaf9;color:#1c1917;line-height:1.5}' +
  'header{border-bottom:1px solid #e7e5e4;background:#fff}header div{max-width:48rem;margin:0 auto;padding:.75rem 1rem;font-size:1.125rem;font-weight:600}' +
  'main{max-width:28rem;margin:2.5rem auto;padding:1.5rem;background:#fff;border:1px solid #e7e5e4;border-radius:.5rem}' +
  'h1{font-size:1.5rem;margin:0 0 1rem}p{margin:0 0 1rem}small{color:#78716c}:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}';

function page(tr: Translator, title: string, bodyHtml: string, nonce: string | undefined): string {
  const nonceAttr = nonce ? ` nonce="${escapeHtml(nonce)}"` : '';
  const app = escapeHtml(tr.t('common:appName'));
  return (
    `<!DOCTYPE html><html lang="${tr.locale}" dir="${tr.dir}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)} · ${app}</title><style${nonceAttr}>${STYLE}</style></head>` +
    `<body><header><div>${app}</div></header><main id="main"><h1>${escapeHtml(title)}</h1>${bodyHtml}</main></body></html>`
  );
}

export function hostedErrorResponse(req: HttpIn, status: number, error: PageError, extra: Record<string, string> = {}): HttpOut {
  const tr = translator(localeOf(req), ['hosted', 'common']);
  const nonce = req.headers.get(NONCE_HEADER) ?? undefined;
  const title = tr.t(`page.${error}.title`);
  const body =
    `<div role="alert" id="error-summary" tabindex="-1" autofocus><p>${escapeHtml(tr.t(`page.${error}.text`))}</p>` +
    `<p>${escapeHtml(tr.t('page.backToApp'))}</p></div>` +
    `<p><small>${escapeHtml(tr.t('page.errorCode'))}: <code>${escapeHtml(error)}</code></small></p>`;
  return html(status, page(tr, title, body, nonce), extra);
}
