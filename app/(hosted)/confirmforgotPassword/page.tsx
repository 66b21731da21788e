import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { extendTransaction } from '@/lib/hosted/transactions';
import { RESENT_PARAM, SELF_SERVICE_TTL_MS } from '@/lib/hosted/recovery/fields';
import { passwordRules } from '@/lib/hosted/signup/password-rules';
import { ConfirmForgotPasswordStep } from '@/components/hosted/recovery/confirm-forgot-password-step';

/** `GET /confirmforgotPassword?tx=…`: code and new password, once a reset was asked for in this transaction. */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('recovery');
  return { title: t('confirm.title'), robots: { index: false } };
}

export default async function ConfirmForgotPasswordPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const data = await stepPageData('/confirmforgotPassword', sp);
  // Outside any try: redirect() throws (stack-notes G10).
  if (!data.tx.state.recovery) redirect(data.pageHref('/forgotPassword'));
  await extendTransaction(data.rt, data.tx, SELF_SERVICE_TTL_MS);
  const pool = await data.rt.directory.pool(data.tx.state.request.poolId).catch(() => undefined);
  return (
    <ConfirmForgotPasswordStep
      data={data}
      rules={passwordRules(pool?.Policies?.PasswordPolicy)}
      resent={sp[RESENT_PARAM] === '1'}
    />
  );
}
