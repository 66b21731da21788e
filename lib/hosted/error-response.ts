import { html, type HttpIn, type HttpOut } from './http';
import { localeOf } from './locale';
import { translator } from '../i18n/translate';
import { escapeHtml, plainPage } from '../security/plain-page';
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

export function hostedErrorResponse(req: HttpIn, status: number, error: PageError, extra: Record<string, string> = {}): HttpOut {
  const tr = translator(localeOf(req), 'hosted');
  const nonce = req.headers.get(NONCE_HEADER) ?? undefined;
  const title = tr.t(`page.${error}.title`);
  const body =
    `<p>${escapeHtml(tr.t(`page.${error}.text`))}</p>` +
    `<p>${escapeHtml(tr.t('page.backToApp'))}</p>` +
    `<p><small>${escapeHtml(tr.t('page.errorCode'))}: <code>${escapeHtml(error)}</code></small></p>`;
  return html(status, plainPage(tr, title, body, nonce), extra);
}
