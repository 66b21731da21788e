import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { extendTransaction } from '@/lib/hosted/transactions';
import { SELF_SERVICE_TTL_MS } from '@/lib/hosted/recovery/fields';
import { ForgotPasswordStep } from '@/components/hosted/recovery/forgot-password-step';

/**
 * `GET /forgotPassword?tx=…`: the first step of a password reset. Without `?tx=` the path is an
 * authorization request (lib/hosted/authorize.ts) that opens a transaction and comes back here.
 */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('recovery');
  return { title: t('forgot.title'), robots: { index: false } };
}

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const data = await stepPageData('/forgotPassword', await searchParams);
  await extendTransaction(data.rt, data.tx, SELF_SERVICE_TTL_MS);
  return <ForgotPasswordStep data={data} />;
}
