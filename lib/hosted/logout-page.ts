import type { Translator } from '../i18n/translate';
import { escapeHtml } from '../security/plain-page';

/**
 * The two pages of /logout that are not redirects: "sign out?" (a form with its CSRF token) and
 * "signed out". Route handlers answer them directly (a 200 at /logout itself, so a request with an
 * unregistered target visibly goes nowhere), so they are built as HTML strings rather than React pages;
 * the look follows Portico's pages. Everything reflected is escaped; the style carries the CSP nonce.
 */
const STYLE =
  '*{box-sizing:border-box}body{margin:0;font-family:system-ui,"DejaVu Sans","Noto Sans",sans-serif;background:#fafaf9;color:#1c1917;line-height:1.5}' +
  'header{border-bottom:1px solid #e7e5e4;background:#fff}header div{max-width:48rem;margin:0 auto;padding:.75rem 1rem;font-size:1.125rem;font-weight:600}' +
  'main{max-width:28rem;margin:2.5rem auto;padding:1.5rem;background:#fff;border:1px solid #e7e5e4;border-radius:.5rem}' +
  'h1{font-size:1.5rem;margin:0 0 1rem}p{margin:0 0 1rem}a{color:#1d4ed8}' +
  'button{font:inherit;font-weight:500;color:#fff;background:#1d4ed8;border:0;border-radius:.375rem;padding:.5rem 1rem;cursor:pointer}' +
  'button:hover{background:#1e40af}:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}' +
  '.note{padding:.75rem;border-radius:.375rem;background:#fef3c7;color:#78350f}.actions{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}';

function page(tr: Translator, title: string, body: string, nonce: string | undefined): string {
  const nonceAttr = nonce ? ` nonce="${escapeHtml(nonce)}"` : '';
  return (
    `<!DOCTYPE html><html lang="${tr.locale}" dir="${tr.dir}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)} · ${escapeHtml(tr.t('common:appName'))}</title><style${nonceAttr}>${STYLE}</style></head>` +
    `<body><header><div>${escapeHtml(tr.t('common:appName'))}</div></header>` +
    `<main id="main"><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
  );
}

export interface ConfirmPageOptions {
  csrf: string;
  /** Where the form posts: /logout, with the request's language hints. */
  action: string;
  /** The request named a return address Portico will not use. */
  targetRefused: boolean;
  nonce?: string;
}

export function confirmLogoutPage(tr: Translator, o: ConfirmPageOptions): string {
  const note = o.targetRefused ? `<p class="note" role="note">${escapeHtml(tr.t('logout:targetRefused'))}</p>` : '';
  const body =
    `${note}<p>${escapeHtml(tr.t('logout:confirmText'))}</p>` +
    `<form method="post" action="${escapeHtml(o.action)}"><input type="hidden" name="csrf" value="${escapeHtml(o.csrf)}">` +
    `<div class="actions"><button type="submit">${escapeHtml(tr.t('logout:confirmButton'))}</button>` +
    `<a href="/">${escapeHtml(tr.t('logout:cancel'))}</a></div></form>`;
  return page(tr, tr.t('logout:confirmTitle'), body, o.nonce);
}

export function signedOutPage(tr: Translator, nonce?: string): string {
  return page(tr, tr.t('logout:signedOutTitle'), `<p role="status">${escapeHtml(tr.t('logout:signedOutText'))}</p><p><a href="/">${escapeHtml(tr.t('logout:home'))}</a></p>`, nonce);
}

export function refusedLogoutPage(tr: Translator, nonce?: string): string {
  return page(
    tr,
    tr.t('logout:refusedTitle'),
    `<p role="alert">${escapeHtml(tr.t('logout:refusedText'))}</p><p><a href="/logout">${escapeHtml(tr.t('logout:tryAgain'))}</a></p>`,
    nonce,
  );
}
