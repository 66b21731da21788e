import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { SelectMfaStep } from '@/components/hosted/steps/select-mfa-step';

/** SELECT_MFA_TYPE: the factors the pool offers, as radio buttons. */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('hosted');
  return { title: t('select.title'), robots: { index: false } };
}

export default async function SelectMfaPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  return <SelectMfaStep data={await stepPageData('/mfa/select', await searchParams)} />;
}
