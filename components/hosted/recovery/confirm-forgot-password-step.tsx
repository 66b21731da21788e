import type { StepPageData } from '@/lib/hosted/step-page';
import type { PasswordRule } from '@/lib/hosted/signup/password-rules';
import { MAX_PASSWORD_LENGTH, RULES_VALUE } from '@/lib/hosted/recovery/fields';
import { isFormError } from '@/lib/hosted/form-errors';
import { StepPage } from '@/components/hosted/step-page';
import { CodeField, Field, HiddenField, StepForm, SubmitButton, fieldId } from '@/components/hosted/fields';
import { PASSWORD_RULES_ID, PasswordPolicy } from '@/components/hosted/password-policy';

/**
 * `/confirmforgotPassword`: the code and a new password, and "send a new code". The text is the same
 * whether or not an account exists for the name (no destination is shown: the pool's simulated one for
 * an unknown name could be told apart from a real one).
 */
export function ConfirmForgotPasswordStep({ data, rules: policyRules, resent }: { data: StepPageData; rules: PasswordRule[]; resent: boolean }) {
  const { t } = data.tr;
  const { flash } = data;
  const username = data.tx.state.recovery?.username ?? '';
  const errors = flash.errors;
  const labels = { code: t('recovery:confirm.code'), password: t('recovery:confirm.password'), confirm: t('recovery:confirm.confirm') };
  const message = (field: 'code' | 'confirm') => (errors[field] ? t(`hosted:form.${errors[field]}`) : undefined);
  // Every broken rule at once, next to the field (the summary names the field once).
  const rules = (flash.values[RULES_VALUE] ?? '').split(' ').filter(isFormError);
  const passwordMessage =
    rules.length > 0 ? rules.map((r) => t(`hosted:form.${r}`)).join(' ') : errors['password'] ? t(`hosted:form.${errors['password']}`) : undefined;
  const anyError = Object.keys(errors).length > 0 || !!data.error;
  return (
    <StepPage data={data} title={t('recovery:confirm.title')} fieldLabels={labels}>
      <p id="code-hint" className="mb-4" role={resent ? 'status' : undefined}>
        {t(resent ? 'recovery:confirm.resent' : 'recovery:confirm.sent', { username })}
      </p>
      <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
        <CodeField label={labels.code} hintId="code-hint" autoFocus={!anyError} errorMessage={message('code')} />
        <PasswordPolicy
          t={t}
          rules={policyRules}
          failing={rules}
          live={{ nonce: data.nonce, inputId: fieldId('password'), metLabel: t('recovery:rule.met'), unmetLabel: t('recovery:rule.unmet') }}
        />
        <Field
          id={fieldId('password')}
          name="password"
          type="password"
          label={labels.password}
          autoComplete="new-password"
          required
          maxLength={MAX_PASSWORD_LENGTH}
          hintId={policyRules.length > 0 ? PASSWORD_RULES_ID : undefined}
          errorMessage={passwordMessage}
        />
        <Field
          id={fieldId('confirm')}
          name="confirm"
          type="password"
          label={labels.confirm}
          autoComplete="new-password"
          required
          maxLength={MAX_PASSWORD_LENGTH}
          errorMessage={message('confirm')}
        />
        <SubmitButton>{t('recovery:confirm.submit')}</SubmitButton>
      </StepForm>
      <div className="mt-6 border-t border-stone-200 pt-4">
        <p className="mb-2 text-sm text-stone-700">{t('recovery:confirm.noCode')}</p>
        <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
          <HiddenField name="intent" value="resend" />
          <button
            type="submit"
            className="w-full rounded-md border border-brand px-4 py-2 font-medium text-brand hover:bg-blue-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand"
          >
            {t('recovery:confirm.resend')}
          </button>
        </StepForm>
      </div>
      <p className="mt-6 flex justify-between gap-4">
        <a className="text-brand underline" href={data.pageHref('/forgotPassword')}>
          {t('recovery:confirm.otherName')}
        </a>
        <a className="text-brand underline" href={data.pageHref('/login')}>
          {t('recovery:confirm.back')}
        </a>
      </p>
    </StepPage>
  );
}
