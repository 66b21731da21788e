import { serverTranslator } from '@/lib/i18n/server';
import { SiteShell } from '@/components/site-shell';

export default async function NotFound() {
  const { t, locale } = await serverTranslator(['errors', 'common']);
  return (
    <SiteShell
      locale={locale}
      appName={t('common:appName')}
      skipToContent={t('common:skipToContent')}
      languageLabel={t('common:languageLabel')}
      footer={t('common:footer')}
    >
      <h1 className="text-2xl font-bold">{t('notFoundTitle')}</h1>
      <p className="mt-4">{t('notFound')}</p>
      <p className="mt-4"><a href="/">{t('backHome')}</a></p>
    </SiteShell>
  );
}
