import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { serverTranslator } from '@/lib/i18n/server';
import { languageFormOf } from '@/lib/i18n/language-form';
import { shellText } from '@/lib/i18n/shell-text';
import { NONCE_HEADER } from '@/lib/security/markers';
import { hostedRuntime } from '@/lib/hosted/runtime';
import { accountClientOf, accountParamsOf, accountUrl } from '@/lib/hosted/account/entry';
import type { SearchParams } from '@/lib/hosted/account/page';
import { HostedFrame } from '@/components/hosted/frame';
import { clientTheme } from '@/lib/branding/hosted-theme';

/** After "sign out everywhere": says so, with the way back to the app when it registered one. */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('account');
  return { title: t('signedOut.title'), robots: { index: false } };
}

export default async function SignedOutPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = accountParamsOf(await searchParams);
  const rt = await hostedRuntime();
  const account = params ? await accountClientOf(rt, params) : undefined;
  const tr = await serverTranslator(['account', 'common']);
  const { t, locale } = tr;
  const theme = account ? await clientTheme(rt, params?.clientId, tr) : undefined;
  const back = account?.backUrl;
  const name = account?.client.ClientName;
  return (
    <HostedFrame
      locale={locale}
      language={params ? languageFormOf(accountUrl('/account/signed-out', params)) : undefined}
      nonce={(await headers()).get(NONCE_HEADER) ?? undefined}
      text={shellText(t)}
      title={t('account:signedOut.title')}
      theme={theme}
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
