import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { extendTransaction } from '@/lib/hosted/transactions';
import { SELF_SERVICE_TTL_MS } from '@/lib/hosted/signup/sign-up';
import { confirmPageData, type ConfirmPageData } from '@/lib/hosted/signup/confirm-page';
import { ConfirmDoneView, ConfirmLinkView, ConfirmPendingView, ConfirmTransactionStep } from '@/components/hosted/steps/confirm-user';

/**
 * Confirming a new account (issue 4): by code after sign-up (`?p=`), by username and code from the
 * sign-in page (`?tx=`), and the emailed link's answers. The link itself (`?confirmation_code=`) is
 * answered by the route handler, which confirms and redirects here or onward.
 */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('signup');
  return { title: t('confirm.title'), robots: { index: false } };
}

async function TransactionView({ sp }: { sp: SearchParams }) {
  const data = await stepPageData('/confirmUser', sp);
  await extendTransaction(data.rt, data.tx, SELF_SERVICE_TTL_MS);
  return <ConfirmTransactionStep data={data} sent={sp['sent'] === '1'} />;
}

export default async function ConfirmUserPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const data = await confirmPageData(sp);
  switch (data.view.kind) {
    case 'pending':
      return <ConfirmPendingView data={data as ConfirmPageData & { view: { kind: 'pending' } }} />;
    case 'link':
      return <ConfirmLinkView data={data as ConfirmPageData & { view: { kind: 'link' } }} />;
    case 'done':
      return <ConfirmDoneView data={data} />;
    default:
      return <TransactionView sp={sp} />;
  }
}
