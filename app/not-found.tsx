import { headers } from 'next/headers';
import { serverTranslator } from '@/lib/i18n/server';
import { shellText } from '@/lib/i18n/shell-text';
import { NONCE_HEADER } from '@/lib/security/markers';
import { SiteShell } from '@/components/site-shell';

export default async function NotFound() {
  const { t, locale } = await serverTranslator(['errors', 'common']);
  return (
    <SiteShell
      locale={locale}
      {...shellText(t)}
      nonce={(await headers()).get(NONCE_HEADER) ?? undefined}
    >
      <h1 className="text-2xl font-bold">{t('notFoundTitle')}</h1>
      <p className="mt-4">{t('notFound')}</p>
      <p className="mt-4"><a href="/">{t('backHome')}</a></p>
    </SiteShell>
  );
}
