import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { hostedRuntime } from '@/lib/hosted/runtime';
import { accountClientOf, accountParamsOf, accountUrl } from '@/lib/hosted/account/entry';
import type { SearchParams } from '@/lib/hosted/account/page';
import { HostedFrame } from '@/components/hosted/frame';

/** After "sign out everywhere": says so, with the way back to the app when it registered one. */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('account');
  return { title: t('signedOut.title'), robots: { index: false } };
}

export default async function SignedOutPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = accountParamsOf(await searchParams);
  const account = params ? await accountClientOf(await hostedRuntime(), params) : undefined;
  const { t, locale } = await serverTranslator(['account', 'common']);
  const back = account?.backUrl;
  const name = account?.client.ClientName;
  return (
    <HostedFrame
      locale={locale}
      languageHref={(l) => (params ? accountUrl('/account/signed-out', { ...params, lang: l, uiLocales: undefined }) : `?lang=${l}`)}
      text={{ appName: t('common:appName'), skipToContent: t('common:skipToContent'), languageLabel: t('common:languageLabel'), footer: t('common:footer') }}
      title={t('account:signedOut.title')}
    >
      <p role="status">{t('account:signedOut.text')}</p>
      {back ? (
        <p className="mt-4">
          <a href={back} className="underline">
            {name ? t('account:backTo', { client: name }) : t('account:backToApp')}
          </a>
        </p>
      ) : null}
    </HostedFrame>
  );
}
