import type { StepPageData } from '@/lib/hosted/step-page';
import { MAX_USERNAME_LENGTH } from '@/lib/hosted/recovery/fields';
import { StepPage } from '@/components/hosted/step-page';
import { Field, StepForm, SubmitButton, fieldId } from '@/components/hosted/fields';

/** `/forgotPassword`: the name whose password is to be reset (prefilled with what was typed at sign-in). */
export function ForgotPasswordStep({ data }: { data: StepPageData }) {
  const { t } = data.tr;
  const { flash, tx } = data;
  const error = flash.errors['username'];
  const username = flash.values['username'] ?? tx.state.recovery?.username ?? tx.state.typedUsername ?? '';
  const label = t('recovery:forgot.username');
  return (
    <StepPage data={data} title={t('recovery:forgot.title')} fieldLabels={{ username: label }}>
      <p id="forgot-intro" className="mb-4">
        {t('recovery:forgot.intro')}
      </p>
      <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
        <Field
          id={fieldId('username')}
          name="username"
          label={label}
          autoComplete="username"
          defaultValue={username}
          required
          maxLength={MAX_USERNAME_LENGTH}
          spellCheck={false}
          autoCapitalize="none"
          dir="ltr"
          hintId="forgot-intro"
          autoFocus={!error && !data.error}
          errorMessage={error ? t(`hosted:form.${error}`) : undefined}
        />
        <SubmitButton>{t('recovery:forgot.submit')}</SubmitButton>
      </StepForm>
      <p className="mt-6 text-center">
        <a className="text-brand underline" href={data.pageHref('/login')}>
          {t('recovery:forgot.back')}
        </a>
      </p>
    </StepPage>
  );
}
