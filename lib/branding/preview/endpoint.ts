import type { HostedRuntime } from '../../hosted/runtime';
import { json, type HttpIn, type HttpOut } from '../../hosted/http';
import { localeOf } from '../../hosted/locale';
import { BASIC_CHALLENGE, basicAuthMatches } from '../../security/basic-auth';
import { escapeHtml } from '../../security/plain-page';
import { NONCE_HEADER } from '../../security/markers';
import { matchLocale, locales } from '../../i18n/locales';
import { translator } from '../../i18n/translate';
import { languageForm } from '../../i18n/language-form';
import { overriddenTranslator } from '../../settings/text-overrides';
import { pageTheme, pageThemeOf } from '../page-theme';
import { mergeThemes, withCss } from '../resolve-theme';
import { PREVIEW_PAGES, PreviewQuerySchema, isPreviewPage, previewQueryString, type PreviewQuery } from './pages';
import { renderPreview } from './render';

/**
 * The custom server answers these (lib/server/fast-path.ts): Next's routes may not render static markup.
 * `/admin/preview` (an index of every hosted page) and `/admin/preview/{page}?client_id=…|pool_id=…
 * &locale=…&scheme=light|dark`: HTTP Basic with the admin credentials, like the rest of /admin. Pages
 * are never cached or indexed; proxy.ts gives them the page CSP with `frame-ancestors 'none'`.
 */
export const PREVIEW_PATH = '/admin/preview';

/** The page named by a path under PREVIEW_PATH (`/admin/preview/mfa/select` → `mfa/select`); none for the index. */
export function previewPageOf(pathname: string): string | undefined {
  const rest = pathname.slice(PREVIEW_PATH.length).replace(/^\/+/, '').replace(/\/+$/, '');
  return rest === '' ? undefined : rest;
}

const NAMESPACES = ['hosted', 'common', 'signup', 'recovery', 'account', 'logout'] as const;
const SAMPLE_POOL = 'us-east-1_Preview0';
const SAMPLE_CLIENT = 'previewclient';

function headers(): Record<string, string> {
  return { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' };
}

function badQuery(message: string): HttpOut {
  return json(400, { error: 'invalid_request', message });
}

async function subjectOf(rt: HostedRuntime, q: PreviewQuery): Promise<{ poolId: string; clientId?: string; clientName?: string } | HttpOut> {
  if (q.client_id) {
    const client = await rt.directory.appClient(q.client_id).catch(() => undefined);
    if (!client?.UserPoolId) return json(404, { error: 'not_found', message: `App client ${q.client_id} does not exist.` });
    if (q.pool_id && q.pool_id !== client.UserPoolId) return badQuery(`App client ${q.client_id} is not in user pool ${q.pool_id}.`);
    return { poolId: client.UserPoolId, clientId: q.client_id, clientName: client.ClientName };
  }
  if (q.pool_id) {
    const pool = await rt.directory.pool(q.pool_id).catch(() => undefined);
    if (!pool) return json(404, { error: 'not_found', message: `User pool ${q.pool_id} does not exist.` });
    return { poolId: q.pool_id };
  }
  return { poolId: SAMPLE_POOL };
}

function indexPage(tr: ReturnType<typeof translator>, q: PreviewQuery, nonce: string | undefined): string {
  const { t } = tr;
  const link = (page: string, extra: Record<string, string | undefined> = {}) => `/admin/preview/${page}${previewQueryString(q, { locale: q.locale, ...extra })}`;
  const items = PREVIEW_PAGES.map((page) => {
    const schemes = (['light', 'dark'] as const).map((s) => `<a href="${escapeHtml(link(page, { scheme: s }))}">${escapeHtml(t(`common:preview.${s}`))}</a>`).join(' · ');
    return `<li><a href="${escapeHtml(link(page))}"><code>/${escapeHtml(page)}</code></a> (${schemes})</li>`;
  }).join('');
  const nonceAttr = nonce ? ` nonce="${escapeHtml(nonce)}"` : '';
  return (
    `<!DOCTYPE html><html lang="${tr.locale}" dir="${tr.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><link rel="icon" href="/icon.svg" sizes="any" type="image/svg+xml"><title>${escapeHtml(t('common:preview.title'))} · ${escapeHtml(t('common:appName'))}</title>` +
    `<style${nonceAttr}>body{font-family:system-ui,"DejaVu Sans",sans-serif;margin:2rem auto;max-width:48rem;padding:0 1rem;line-height:1.6;color:#1c1917}a{color:#1d4ed8}</style></head>` +
    `<body><main><h1>${escapeHtml(t('common:preview.title'))}</h1><p>${escapeHtml(t('common:preview.intro'))}</p><ul>${items}</ul></main></body></html>`
  );
}

export async function previewEndpoint(rt: HostedRuntime, req: HttpIn, page: string | undefined, stylesheets: readonly string[]): Promise<HttpOut> {
  if (!basicAuthMatches(req.headers.get('authorization'), rt.admin)) {
    return json(401, { error: 'unauthorized', message: 'Admin credentials required.' }, { 'www-authenticate': BASIC_CHALLENGE });
  }
  if (page !== undefined && !isPreviewPage(page)) return json(404, { error: 'not_found', message: `No preview for ${page.slice(0, 64)}; see /admin/preview.` });
  const raw: Record<string, string> = {};
  for (const key of new Set(req.url.searchParams.keys())) {
    if (req.url.searchParams.getAll(key).length > 1) return badQuery(`${key.slice(0, 32)} is repeated.`);
    raw[key] = req.url.searchParams.get(key)!;
  }
  const parsed = PreviewQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return badQuery(`${i.path.join('.') || 'query'}: ${i.message}`);
  }
  const q = parsed.data;
  const chosen = q.locale ?? q.lang;
  const locale = chosen === undefined ? localeOf(req) : matchLocale(chosen);
  if (!locale) return badQuery(`locale: must be one of ${locales.join(', ')}`);
  const nonce = req.headers.get(NONCE_HEADER) ?? undefined;
  const base = translator(locale, [...NAMESPACES]);
  if (page === undefined) return { status: 200, headers: headers(), body: indexPage(base, { ...q, locale: chosen }, nonce) };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // A previewed form that was submitted anyway: back to the page, nothing done.
    return { status: 303, headers: { location: `/admin/preview/${page}${req.url.search}`, 'cache-control': 'no-store' }, body: '' };
  }

  const subject = await subjectOf(rt, q);
  if ('status' in subject) return subject;
  const tr = await overriddenTranslator(rt.db, base, { poolId: subject.poolId, clientId: subject.clientId });
  const src = { db: rt.db, cognito: rt.cognito, publicUrl: rt.settings.publicUrl, now: rt.clock.now() };
  // Without a pool, Portico's own theme, still in the forced scheme.
  const theme = q.client_id || q.pool_id ? await pageTheme(src, subject.poolId, subject.clientId, tr, q.scheme) : pageThemeOf(withCss(mergeThemes(undefined, undefined)), tr, q.scheme);
  const html = await renderPreview(page, {
    rt,
    tr,
    nonce,
    theme,
    language: languageForm(`/admin/preview/${page}`, { client_id: q.client_id, pool_id: q.pool_id, scheme: q.scheme }),
    poolId: subject.poolId,
    clientId: subject.clientId ?? SAMPLE_CLIENT,
    clientName: subject.clientName,
    stylesheets,
  });
  return { status: 200, headers: headers(), body: html };
}
