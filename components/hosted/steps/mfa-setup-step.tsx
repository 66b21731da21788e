import type { StepPageData } from '@/lib/hosted/step-page';
import { jsonList } from '@/lib/hosted/dialogue';
import { StepPage } from '@/components/hosted/step-page';
import { CodeField, Field, HiddenField, StepForm, SubmitButton } from '@/components/hosted/fields';

/** MFA_SETUP's body: TOTP enrolment (the QR code drawn by the caller, `qr`) and email as the alternative. */
export function MfaSetupStep({ data, qr }: { data: StepPageData; qr?: string }) {
  const { t } = data.tr;
  const { state } = data.tx;
  const can = jsonList(state.challengeParameters?.['MFAS_CAN_SETUP']);
  const secret = state.totpSecret;
  const email = can.includes('EMAIL_OTP');
  const codeError = data.error === 'wrong_code' || data.error === 'missing_fields';
  return (
    <StepPage data={data} title={t('hosted:setup.title')}>
      <p className="mb-6">{t('hosted:setup.intro')}</p>
      {secret ? (
        <section aria-labelledby="totp-heading" className="space-y-4">
          <h2 id="totp-heading" className="text-lg font-semibold">
            {t('hosted:setup.totpHeading')}
          </h2>
          <p>{t('hosted:setup.scan')}</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL drawn on the server */}
          <img src={qr} alt={t('hosted:setup.qrAlt')} width={192} height={192} className="mx-auto h-48 w-48" />
          <div>
            <p id="totp-secret-label">{t('hosted:setup.secret')}</p>
            <code id="totp-secret" aria-labelledby="totp-secret-label" dir="ltr" className="mt-1 block select-all break-all rounded-md bg-stone-100 p-2 font-mono text-sm">
              {secret}
            </code>
          </div>
          <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
            <HiddenField name="method" value="totp" />
            <CodeField label={t('hosted:setup.code')} autoFocus={!data.error} invalid={codeError} />
            <SubmitButton>{t('hosted:setup.submit')}</SubmitButton>
          </StepForm>
        </section>
      ) : null}
      {email ? (
        <section aria-labelledby="email-heading" className={secret ? 'mt-8 space-y-4 border-t border-stone-200 pt-6' : 'space-y-4'}>
          <h2 id="email-heading" className="text-lg font-semibold">
            {t('hosted:setup.emailHeading')}
          </h2>
          <p id="email-hint">{t('hosted:setup.emailIntro')}</p>
          <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
            <HiddenField name="method" value="email" />
            <Field
              id="email"
              name="email"
              type="email"
              label={t('hosted:setup.email')}
              autoComplete="email"
              required
              maxLength={254}
              dir="ltr"
              hintId="email-hint"
              autoFocus={!data.error && !secret}
              invalid={data.error === 'invalid_email'}
            />
            <SubmitButton>{t('hosted:setup.emailSubmit')}</SubmitButton>
          </StepForm>
        </section>
      ) : null}
      {!secret && !email ? <p role="status">{t('hosted:setup.unavailable')}</p> : null}
    </StepPage>
  );
}
