import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { StepPage } from '@/components/hosted/step-page';
import { CodeField, StepForm, SubmitButton } from '@/components/hosted/fields';

/** Code entry for SOFTWARE_TOKEN_MFA, SMS_MFA and EMAIL_OTP. */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('hosted');
  return { title: t('mfa.title'), robots: { index: false } };
}

export default async function MfaPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const data = await stepPageData('/mfa', await searchParams);
  const { t } = data.tr;
  const { step, challengeParameters: p = {} } = data.tx.state;
  const destination = p['CODE_DELIVERY_DESTINATION'] ?? '';
  const intro =
    step === 'SOFTWARE_TOKEN_MFA'
      ? t('hosted:mfa.totp', { device: p['FRIENDLY_DEVICE_NAME'] ?? 'TOTP' })
      : step === 'SMS_MFA'
        ? t('hosted:mfa.sms', { destination })
        : t('hosted:mfa.email', { destination });
  return (
    <StepPage data={data} title={t('hosted:mfa.title')}>
      <p id="code-hint" className="mb-4">
        {intro}
      </p>
      <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
        <CodeField label={t('hosted:mfa.code')} hintId="code-hint" autoFocus={!data.error} invalid={!!data.error} />
        <SubmitButton>{t('hosted:mfa.submit')}</SubmitButton>
      </StepForm>
    </StepPage>
  );
}
