import type { StepPageData } from '@/lib/hosted/step-page';
import { requiredAttributesOf } from '@/lib/hosted/challenges';
import { attributeInput } from '@/lib/hosted/attribute-inputs';
import { PASSWORD_ERRORS } from '@/lib/hosted/form-errors';
import type { passwordRules } from '@/lib/hosted/signup/password-rules';
import { StepPage } from '@/components/hosted/step-page';
import { Field, StepForm, SubmitButton } from '@/components/hosted/fields';
import { PASSWORD_RULES_ID, PasswordPolicy } from '@/components/hosted/password-policy';

/** NEW_PASSWORD_REQUIRED's body: a new password under the pool's `rules` and the attributes the pool requires. */
export function NewPasswordStep({ data, rules }: { data: StepPageData; rules: ReturnType<typeof passwordRules> }) {
  const { t } = data.tr;
  const attributes = requiredAttributesOf(data.tx);
  const passwordInvalid = !!data.error && PASSWORD_ERRORS.has(data.error);
  const attributesInvalid = data.error === 'invalid_attributes' || data.error === 'invalid_email';
  return (
    <StepPage data={data} title={t('hosted:newPassword.title')}>
      <p className="mb-4">{t('hosted:newPassword.intro')}</p>
      <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
        <PasswordPolicy t={t} rules={rules} failing={data.error ? [data.error] : undefined} />
        <Field
          id="password"
          name="password"
          type="password"
          label={t('hosted:newPassword.password')}
          autoComplete="new-password"
          required
          maxLength={256}
          hintId={rules.length > 0 ? PASSWORD_RULES_ID : undefined}
          autoFocus={!data.error}
          invalid={passwordInvalid}
        />
        <Field
          id="confirm"
          name="confirm"
          type="password"
          label={t('hosted:newPassword.confirm')}
          autoComplete="new-password"
          required
          maxLength={256}
          invalid={data.error === 'password_mismatch'}
        />
        {attributes.length > 0 ? (
          <fieldset className="space-y-4">
            <legend className="font-medium">{t('hosted:newPassword.attributesHeading')}</legend>
            {attributes.map((name) => {
              const input = attributeInput(name);
              return (
                <Field
                  key={name}
                  id={`attr-${name.replace(/[^\w-]/g, '_')}`}
                  name={`attr.${name}`}
                  type={input.type}
                  label={input.labelKey ? t(`hosted:${input.labelKey}`) : name}
                  autoComplete={input.autoComplete}
                  dir={input.dir}
                  required
                  maxLength={2048}
                  invalid={attributesInvalid}
                />
              );
            })}
          </fieldset>
        ) : null}
        <SubmitButton>{t('hosted:newPassword.submit')}</SubmitButton>
      </StepForm>
    </StepPage>
  );
}
