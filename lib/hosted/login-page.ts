import type { HostedRuntime } from './runtime';
import { html, type HttpIn, type HttpOut } from './http';
import { localeOf } from './locale';
import { browserIdOf } from './post';
import { resolveStepPage, type SearchParams } from './step-page';
import { renderLoginPage, type PageAssets } from './render-login';
import { translator } from '../i18n/translate';
import { NONCE_HEADER } from '../security/markers';

/**
 * `GET /login?tx=…` without the App Router: the same data and components as app/(hosted)/login/page.tsx.
 * A transaction at another step, or none, answers 307 to the right page, as Next's redirect() does there.
 */
function searchParamsOf(url: URL): SearchParams {
  const out: SearchParams = {};
  for (const key of new Set(url.searchParams.keys())) out[key] = url.searchParams.get(key) ?? undefined;
  return out;
}

export async function handleLoginPage(rt: HostedRuntime, req: HttpIn, assets: PageAssets): Promise<HttpOut> {
  const resolved = await resolveStepPage(rt, '/login', searchParamsOf(req.url), {
    browserId: browserIdOf(rt, req),
    nonce: req.headers.get(NONCE_HEADER) ?? undefined,
    tr: translator(localeOf(req), ['hosted', 'common']),
  });
  if (!resolved.ok) return { status: 307, headers: { location: resolved.location, 'cache-control': 'no-store' }, body: '' };
  return html(200, renderLoginPage(resolved.data, assets));
}
