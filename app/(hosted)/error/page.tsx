import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { serverTranslator } from '@/lib/i18n/server';
import { languageForm } from '@/lib/i18n/language-form';
import { NONCE_HEADER } from '@/lib/security/markers';
import { hostedRuntime } from '@/lib/hosted/runtime';
import { requestTheme } from '@/lib/branding/hosted-theme';
import { isPageError } from '@/lib/hosted/error-response';
import { ErrorView } from '@/components/hosted/steps/error-view';
import type { SearchParams } from '@/lib/hosted/page-data';

/**
 * `/error?error=…` (as Cognito's): the translated page for an expired or foreign sign-in, and for
 * errors handlers send the browser to. Only known codes are shown; anything else is "something went wrong".
 */
export const dynamic = 'force-dynamic';

function codeOf(sp: SearchParams): string {
  const raw = sp['error'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return isPageError(value) ? value : 'not_found';
}

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const { t } = await serverTranslator('hosted');
  return { title: t(`page.${codeOf(await searchParams)}.title`), robots: { index: false } };
}

export default async function ErrorPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const code = codeOf(sp);
  const tr = await serverTranslator(['hosted', 'common']);
  const { t, locale } = tr;
  const hdrs = await headers();
  const clientId = Array.isArray(sp['client_id']) ? sp['client_id'][0] : sp['client_id'];
  // The named app's theme, or the custom domain's default client's; a failure draws Portico's own.
  const theme = await hostedRuntime()
    .then((rt) => requestTheme(rt, hdrs, clientId, tr))
    .catch(() => undefined);
  return (
    <ErrorView
      t={t}
      locale={locale}
      code={code}
      language={languageForm('/error', { error: code, client_id: clientId })}
      nonce={hdrs.get(NONCE_HEADER) ?? undefined}
      theme={theme}
    />
  );
}
