import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { MfaStep } from '@/components/hosted/steps/mfa-step';

/** Code entry for SOFTWARE_TOKEN_MFA, SMS_MFA and EMAIL_OTP. */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('hosted');
  return { title: t('mfa.title'), robots: { index: false } };
}

export default async function MfaPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  return <MfaStep data={await stepPageData('/mfa', await searchParams)} />;
}
