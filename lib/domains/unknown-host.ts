import type { Locale } from '../i18n/locales';
import { translator } from '../i18n/translate';
import { escapeHtml, plainPage } from '../security/plain-page';

/**
 * The answer for a request to a host that is neither PORTICO_URL's nor a registered custom domain:
 * 404, as JSON for API-ish requests (Cognito API, OAuth endpoints, .well-known documents, admin API,
 * anything asking for JSON) and as a translated page otherwise. No link home: there is none on this host.
 */
export const ALWAYS_SERVED = new Set(['/healthz', '/readyz', '/metrics']);

export function wantsJson(method: string, path: string, accept: string | undefined, amzTarget: string | undefined): boolean {
  if (amzTarget !== undefined || (path === '/' && method !== 'GET' && method !== 'HEAD')) return true;
  if (path.startsWith('/oauth2/') && path !== '/oauth2/authorize') return true;
  if (path.includes('/.well-known/') || path.startsWith('/admin/') || path.startsWith('/api/')) return true;
  return /application\/json/i.test(accept ?? '') && !/text\/html/i.test(accept ?? '');
}

export function unknownHostResponse(o: { json: boolean; locale: Locale; nonce: string }): { status: 404; headers: Record<string, string>; body: string } {
  if (o.json) {
    return {
      status: 404,
      headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ error: 'unknown_host', message: 'This host is not one of Portico\'s domains.' }),
    };
  }
  const tr = translator(o.locale, 'errors');
  const body = plainPage(tr, tr.t('unknownHostTitle'), `<p>${escapeHtml(tr.t('unknownHost'))}</p>`, o.nonce);
  return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}
