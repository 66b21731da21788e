import type { StepPageData } from '@/lib/hosted/step-page';
import { jsonList } from '@/lib/hosted/dialogue';
import { StepPage } from '@/components/hosted/step-page';
import { StepForm, SubmitButton } from '@/components/hosted/fields';

const KNOWN = new Set(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);

/** SELECT_MFA_TYPE's body: the factors the pool offers, as radio buttons (/mfa/select and the admin preview). */
export function SelectMfaStep({ data }: { data: StepPageData }) {
  const { t } = data.tr;
  const options = jsonList(data.tx.state.challengeParameters?.['MFAS_CAN_CHOOSE']).filter((o) => KNOWN.has(o));
  return (
    <StepPage data={data} title={t('hosted:select.title')}>
      <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
        <fieldset>
          <legend className="font-medium">{t('hosted:select.legend')}</legend>
          <div className="mt-2 space-y-2">
            {options.map((option, i) => (
              <div key={option} className="flex items-center gap-2">
                <input
                  id={`mfa-${option}`}
                  type="radio"
                  name="mfa"
                  value={option}
                  required
                  defaultChecked={i === 0}
                  autoFocus={!data.error && i === 0}
                  className="h-4 w-4 accent-brand"
                />
                <label htmlFor={`mfa-${option}`}>{t(`hosted:select.${option}`)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <SubmitButton>{t('hosted:select.submit')}</SubmitButton>
      </StepForm>
    </StepPage>
  );
}
