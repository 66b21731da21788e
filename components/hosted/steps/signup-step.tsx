import type { StepPageData } from '@/lib/hosted/step-page';
import type { signupForm } from '@/lib/hosted/signup/form';
import { passwordRules } from '@/lib/hosted/signup/password-rules';
import { PASSWORD_RULES_VALUE } from '@/lib/hosted/signup/sign-up';
import { isFormError } from '@/lib/hosted/form-errors';
import { StepPage } from '@/components/hosted/step-page';
import { Field, StepForm, SubmitButton } from '@/components/hosted/fields';
import { PASSWORD_RULES_ID, PasswordPolicy } from '@/components/hosted/password-policy';
import { SignupFields, signupFieldLabel } from '@/components/hosted/signup-fields';
import { LegalSentence } from '@/components/hosted/signup-legal';

/** The sign-up page's body for a pool that allows it: the form `shape` from the pool's schema, the client's legal links. */
export function SignupStep({ data, shape, terms, privacy }: { data: StepPageData; shape: ReturnType<typeof signupForm>; terms?: string; privacy?: string }) {
  const { t } = data.tr;
  const signIn = data.pageHref('/login');
  const rules = passwordRules(shape.policy);
  const { values, errors } = data.flash;
  const failingRules = (values[PASSWORD_RULES_VALUE] ?? errors['password'] ?? '').split(',').filter(isFormError);
  const passwordError = errors['password'];
  const labels: Record<string, string> = { password: t('signup:password'), confirm: t('signup:confirm') };
  for (const field of shape.fields) labels[field.name] = signupFieldLabel(t, field);
  const passwordMessage =
    failingRules.length > 1 ? failingRules.map((code) => t(`hosted:form.${code}`)).join(' ') : passwordError ? t(`hosted:form.${passwordError}`) : undefined;
  const hasErrors = Object.keys(errors).length > 0 || !!data.error;
  return (
    <StepPage data={data} title={t('signup:title')} fieldLabels={labels}>
      <p className="mb-4">{t('signup:intro')}</p>
      <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
        <SignupFields t={t} fields={shape.fields} values={values} errors={errors} autoFocusFirst={!hasErrors} />
        <PasswordPolicy
          t={t}
          rules={rules}
          failing={failingRules}
          live={{ nonce: data.nonce, inputId: 'password', metLabel: t('signup:rule.met'), unmetLabel: t('signup:rule.unmet') }}
        />
        <Field
          id="password"
          name="password"
          type="password"
          label={t('signup:password')}
          autoComplete="new-password"
          required
          maxLength={256}
          hintId={rules.length > 0 ? PASSWORD_RULES_ID : undefined}
          errorMessage={passwordMessage}
        />
        <Field
          id="confirm"
          name="confirm"
          type="password"
          label={t('signup:confirm')}
          autoComplete="new-password"
          required
          maxLength={256}
          errorMessage={errors['confirm'] ? t(`hosted:form.${errors['confirm']}`) : undefined}
        />
        <LegalSentence t={t} terms={terms} privacy={privacy} />
        <SubmitButton>{t('signup:submit')}</SubmitButton>
      </StepForm>
      <p className="mt-6 text-sm">
        {t('signup:haveAccount')}{' '}
        <a className="font-medium text-brand underline" href={signIn}>
          {t('signup:signIn')}
        </a>
      </p>
    </StepPage>
  );
}

/** The sign-up page when the pool allows admin-created users only. */
export function SignupUnavailableStep({ data }: { data: StepPageData }) {
  const { t } = data.tr;
  const signIn = data.pageHref('/login');
    return (
      <StepPage data={data} title={t('signup:unavailableTitle')}>
        <p role="status" className="mb-4">
          {t('hosted:form.signup_unavailable')}
        </p>
        <p>
          <a className="font-medium text-brand underline" href={signIn}>
            {t('signup:backToSignIn')}
          </a>
        </p>
      </StepPage>
  );
}
