import { html, type HttpIn, type HttpOut } from '../http';
import { localeOf } from '../locale';
import { translator } from '../../i18n/translate';
import { escapeHtml } from '../../security/plain-page';
import { NONCE_HEADER } from '../../security/markers';

/**
 * The last page of a sign-in inside an iframe: instead of redirecting the frame to the app's callback,
 * it hands the authorization response to the parent page by postMessage — to exactly the parent origin
 * the transaction kept, never '*' — and offers the ordinary redirect, in the top window, as the way on.
 * Without JavaScript the frame follows the redirect itself. Built as a string (route handlers and pages
 * cannot import react-dom/server); the response travels as a JSON data block and the one script is
 * static, under the page's nonce.
 */
export const MESSAGE_TYPE = 'portico:authorization_response';
export const EMBED_DATA_ID = 'portico-authorization-response';

/** Opened outside a frame (no parent), the page simply follows the redirect. */
export const EMBED_SCRIPT =
  `(function(){var d=JSON.parse(document.getElementById('${EMBED_DATA_ID}').textContent);` +
  'if(window.parent!==window){window.parent.postMessage(d.message,d.targetOrigin);}else{window.location.replace(d.location);}})();';

const STYLE =
  'body{margin:0;font-family:system-ui,"DejaVu Sans","Noto Sans",sans-serif;background:#fafaf9;color:#1c1917;line-height:1.5}' +
  'main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #e7e5e4;border-radius:.5rem}' +
  'h1{font-size:1.25rem;margin:0 0 .75rem}p{margin:0 0 1rem}' +
  'a{display:inline-block;padding:.5rem 1rem;border-radius:.375rem;background:#1d4ed8;color:#fff;text-decoration:none}' +
  ':focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}';

const RESPONSE_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'access_token', 'id_token', 'token_type', 'expires_in'] as const;

export function authorizationMessage(location: string): Record<string, string> {
  const url = new URL(location);
  // The implicit flow answers in the fragment, the code flow in the query after the redirect URI's own
  // parameters (lib/oauth/redirect.ts): the last value of a name is the response's.
  const params = url.hash.length > 1 ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
  const message: Record<string, string> = { type: MESSAGE_TYPE };
  for (const name of RESPONSE_PARAMS) {
    const value = params.getAll(name).at(-1);
    if (value !== undefined) message[name] = value;
  }
  return message;
}

/** JSON inside <script>: no value can close the element or start a comment. */
function dataBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function embeddedCompletion(req: HttpIn, o: { location: string; parent: string }): HttpOut {
  const tr = translator(localeOf(req), 'hosted');
  const nonce = req.headers.get(NONCE_HEADER);
  const n = nonce ? ` nonce="${escapeHtml(nonce)}"` : '';
  const title = escapeHtml(tr.t('hosted:embed.title'));
  const href = escapeHtml(o.location);
  const data = dataBlock({ message: authorizationMessage(o.location), targetOrigin: o.parent, location: o.location });
  const page =
    `<!DOCTYPE html><html lang="${tr.locale}" dir="${tr.dir}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${title}</title><noscript><meta http-equiv="refresh" content="0;url=${href}"></noscript>` +
    `<style${n}>${STYLE}</style></head><body><main><h1>${title}</h1>` +
    `<p>${escapeHtml(tr.t('hosted:embed.text'))}</p>` +
    `<a href="${href}" target="_top">${escapeHtml(tr.t('hosted:embed.continue'))}</a></main>` +
    `<script type="application/json" id="${EMBED_DATA_ID}">${data}</script>` +
    `<script${n}>${EMBED_SCRIPT}</script></body></html>`;
  return html(200, page);
}
