import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { NewPasswordStep } from '@/components/hosted/steps/new-password-step';
import { passwordRules } from '@/lib/hosted/signup/password-rules';

/** NEW_PASSWORD_REQUIRED: a new password (the pool's policy shown) and the attributes the pool requires. */
export const dynamic = 'force-dynamic';


export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('hosted');
  return { title: t('newPassword.title'), robots: { index: false } };
}

export default async function NewPasswordPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const data = await stepPageData('/new-password', await searchParams);
  const pool = await data.rt.directory.pool(data.tx.state.request.poolId).catch(() => undefined);
  return <NewPasswordStep data={data} rules={passwordRules(pool?.Policies?.PasswordPolicy)} />;
}
