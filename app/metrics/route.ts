import { hostedRuntime } from '@/lib/hosted/runtime';
import { metrics } from '@/lib/observability/metrics';
import { exposition } from '@/lib/observability/cluster-metrics';
import { BASIC_CHALLENGE, basicAuthMatches } from '@/lib/security/basic-auth';
import { requestLocale } from '@/lib/i18n/server';
import { translator } from '@/lib/i18n/translate';

export const dynamic = 'force-dynamic';

/**
 * Prometheus exposition of Portico's registry (lib/observability/metrics). Admin only: the counts say
 * how busy each endpoint is and how many sign-ins fail.
 */
export async function GET(req: Request): Promise<Response> {
  const { admin } = await hostedRuntime();
  if (!basicAuthMatches(req.headers.get('authorization'), admin)) {
    const tr = translator(await requestLocale(), 'errors');
    return new Response(`${tr.t('adminCredentials')}\n`, {
      status: 401,
      headers: { 'www-authenticate': BASIC_CHALLENGE, 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const { registry } = metrics();
  return new Response(await exposition(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}
