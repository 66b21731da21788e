import { settings } from '@/lib/config/env';
import { headers } from 'next/headers';
import { baseUrlFrom } from '@/lib/domains/header';
import { serverTranslator } from '@/lib/i18n/server';
import { shellText } from '@/lib/i18n/shell-text';
import { NONCE_HEADER } from '@/lib/security/markers';
import { SiteShell } from '@/components/site-shell';

export default async function HomePage() {
  const { t, locale } = await serverTranslator(['home', 'common']);
  // The site this request came in on (lib/domains): PORTICO_URL or a custom domain.
  const url = baseUrlFrom(await headers(), settings().publicUrl);
  return (
    <SiteShell
      locale={locale}
      {...shellText(t)}
      nonce={(await headers()).get(NONCE_HEADER) ?? undefined}
    >
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <p className="mt-2 text-lg text-stone-600">{t('common:tagline')}</p>
      <p className="mt-6">{t('lead')}</p>
      <p className="mt-4">{t('embedded')}</p>
      <section className="mt-10 rounded-lg border border-stone-200 bg-white p-6" aria-labelledby="demo-heading">
        <h2 id="demo-heading" className="text-xl font-semibold">{t('demoHeading')}</h2>
        <p className="mt-2">{t('demoText')}</p>
        <p className="mt-4">
          <a href="/demo" className="inline-block rounded-md bg-brand px-4 py-2 font-medium text-white no-underline hover:bg-blue-800">
            {t('demoLink')}
          </a>
        </p>
      </section>
      <section className="mt-10" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading" className="text-xl font-semibold">{t('endpointsHeading')}</h2>
        <ul className="mt-2 list-disc space-y-1 ps-6">
          <li>
            {t('endpointApi')}: <code dir="ltr">POST {url}/</code>
          </li>
          <li>
            {t('endpointHealth')}: <code dir="ltr">{url}/healthz</code>, <code dir="ltr">{url}/readyz</code>
          </li>
        </ul>
      </section>
    </SiteShell>
  );
}
