import type { StepPageData } from '@/lib/hosted/step-page';
import { StepPage } from '@/components/hosted/step-page';
import { CodeField, StepForm, SubmitButton } from '@/components/hosted/fields';

/** The code entry page's body (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP), shared by /mfa and the admin preview. */
export function MfaStep({ data }: { data: StepPageData }) {
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
