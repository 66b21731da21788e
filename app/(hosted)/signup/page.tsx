import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { extendTransaction } from '@/lib/hosted/transactions';
import { signupForm } from '@/lib/hosted/signup/form';
import { SELF_SERVICE_TTL_MS, selfSignUpAllowed } from '@/lib/hosted/signup/sign-up';
import { localizedUrl, readClientSettings } from '@/lib/settings/client-settings';
import { SignupStep, SignupUnavailableStep } from '@/components/hosted/steps/signup-step';

/** Self sign-up (issue 4): a form generated from the pool's schema and the client's writable attributes. */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('signup');
  return { title: t('title'), robots: { index: false } };
}

export default async function SignupPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const data = await stepPageData('/signup', await searchParams);
  const { rt, tx } = data;
  const request = tx.state.request;
  const [pool, client, clientSettings] = await Promise.all([
    rt.directory.pool(request.poolId).catch(() => undefined),
    rt.directory.appClient(request.clientId).catch(() => undefined),
    readClientSettings(rt.db, request.clientId),
  ]);
  if (!pool || !client || !selfSignUpAllowed(pool)) return <SignupUnavailableStep data={data} />;
  // Filling in a form takes longer than the 5-minute sign-in window.
  await extendTransaction(rt, tx, SELF_SERVICE_TTL_MS);
  const locale = data.tr.locale;
  return (
    <SignupStep
      data={data}
      shape={signupForm(pool, client)}
      terms={localizedUrl(clientSettings?.termsUrl, locale)}
      privacy={localizedUrl(clientSettings?.privacyUrl, locale)}
    />
  );
}
