import type { Translator } from '../i18n/translate';
import { escapeHtml } from '../security/plain-page';
import type { PageTheme } from '../branding/page-theme';

/**
 * The two pages of /logout that are not redirects: "sign out?" (a form with its CSRF token) and
 * "signed out". Route handlers answer them directly (a 200 at /logout itself, so a request with an
 * unregistered target visibly goes nowhere), so they are built as HTML strings rather than React pages;
 * the look follows Portico's pages. Everything reflected is escaped; the style carries the CSP nonce.
 */
// Colours, font and radius read the theme's custom properties (lib/branding/theme-css.ts), with
// Portico's defaults where no theme is drawn, so the sign-out pages follow the app's branding too.
const STYLE =
  '*{box-sizing:border-box}body{margin:0;font-family:var(--p-font,system-ui,"DejaVu Sans","Noto Sans",sans-serif);background:var(--p-background,#fafaf9);color:var(--p-text,#1c1917);line-height:1.5}' +
  'header{border-bottom:1px solid var(--p-border,#e7e5e4);background:var(--p-surface,#fff)}header div{max-width:48rem;margin:0 auto;padding:.75rem 1rem;font-size:1.125rem;font-weight:600}' +
  'main{max-width:28rem;margin:2.5rem auto;padding:1.5rem;background:var(--p-surface,#fff);border:1px solid var(--p-border,#e7e5e4);border-radius:calc(var(--p-radius,6px) + 2px)}' +
  'h1{font-size:1.5rem;margin:0 0 1rem}p{margin:0 0 1rem}a{color:var(--p-brand,#1d4ed8)}.portico-logo{display:block;max-height:3rem;max-width:100%;margin:0 0 1rem}' +
  'button{font:inherit;font-weight:500;color:var(--p-brand-text,#fff);background:var(--p-brand,#1d4ed8);border:0;border-radius:var(--p-radius,.375rem);padding:.5rem 1rem;cursor:pointer}' +
  'button:hover{filter:brightness(.92)}:focus-visible{outline:2px solid var(--p-brand,#1d4ed8);outline-offset:2px}' +
  '.note{padding:.75rem;border-radius:.375rem;background:#fef3c7;color:#78350f}.actions{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}' +
  '.portico-legal{display:flex;justify-content:center;gap:1rem;font-size:.875rem;margin:-1.5rem auto 2rem}';

/** Portico's icon, as on the App Router pages (browsers otherwise ask for a /favicon.ico there is none of). */
const DEFAULT_ICON = '<link rel="icon" href="/icon.svg" sizes="any" type="image/svg+xml">';

function themeParts(theme: PageTheme | undefined, nonceAttr: string): { head: string; logo: string; legal: string } {
  const icon = theme?.favicon ? `<link rel="icon" href="${escapeHtml(theme.favicon)}">` : DEFAULT_ICON;
  if (!theme) return { head: icon, logo: '', legal: '' };
  // theme.css holds validated values and sanitised CSS, which cannot contain "<" (lib/branding).
  const head = `<style${nonceAttr} data-portico-theme="">${theme.css}</style>${icon}`;
  const logo = theme.logo ? `<img class="portico-logo logo-customizable" src="${escapeHtml(theme.logo)}" alt="">` : '';
  const links = [
    theme.termsUrl ? `<a href="${escapeHtml(theme.termsUrl)}" rel="noopener noreferrer">${escapeHtml(theme.legal.terms)}</a>` : '',
    theme.privacyUrl ? `<a href="${escapeHtml(theme.privacyUrl)}" rel="noopener noreferrer">${escapeHtml(theme.legal.privacy)}</a>` : '',
  ].join('');
  const legal = links ? `<nav aria-label="${escapeHtml(theme.legal.label)}" class="portico-legal legalText-customizable">${links}</nav>` : '';
  return { head, logo, legal };
}

function page(tr: Translator, title: string, body: string, nonce: string | undefined, theme?: PageTheme): string {
  const nonceAttr = nonce ? ` nonce="${escapeHtml(nonce)}"` : '';
  const parts = themeParts(theme, nonceAttr);
  return (
    `<!DOCTYPE html><html lang="${tr.locale}" dir="${tr.dir}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)} · ${escapeHtml(tr.t('common:appName'))}</title><style${nonceAttr}>${STYLE}</style>${parts.head}</head>` +
    `<body><div class="portico-hosted background-customizable" data-layout="${theme?.layout ?? 'centered'}"><header><div>${escapeHtml(tr.t('common:appName'))}</div></header>` +
    `<main id="main" class="portico-card">${parts.logo}<h1>${escapeHtml(title)}</h1>${body}</main>${parts.legal}</div></body></html>`
  );
}

export interface ConfirmPageOptions {
  csrf: string;
  /** Where the form posts: /logout, with the request's language hints. */
  action: string;
  /** The request named a return address Portico will not use. */
  targetRefused: boolean;
  nonce?: string;
  theme?: PageTheme;
}

export function confirmLogoutPage(tr: Translator, o: ConfirmPageOptions): string {
  const note = o.targetRefused ? `<p class="note" role="note">${escapeHtml(tr.t('logout:targetRefused'))}</p>` : '';
  const body =
    `${note}<p>${escapeHtml(tr.t('logout:confirmText'))}</p>` +
    `<form method="post" action="${escapeHtml(o.action)}"><input type="hidden" name="csrf" value="${escapeHtml(o.csrf)}">` +
    `<div class="actions"><button type="submit">${escapeHtml(tr.t('logout:confirmButton'))}</button>` +
    `<a href="/">${escapeHtml(tr.t('logout:cancel'))}</a></div></form>`;
  return page(tr, tr.t('logout:confirmTitle'), body, o.nonce, o.theme);
}

export function signedOutPage(tr: Translator, nonce?: string, theme?: PageTheme): string {
  return page(tr, tr.t('logout:signedOutTitle'), `<p role="status">${escapeHtml(tr.t('logout:signedOutText'))}</p><p><a href="/">${escapeHtml(tr.t('logout:home'))}</a></p>`, nonce, theme);
}

export function refusedLogoutPage(tr: Translator, nonce?: string): string {
  return page(
    tr,
    tr.t('logout:refusedTitle'),
    `<p role="alert">${escapeHtml(tr.t('logout:refusedText'))}</p><p><a href="/logout">${escapeHtml(tr.t('logout:tryAgain'))}</a></p>`,
    nonce,
  );
}
