import { StepPage } from './step-page';
import { Field, StepForm, SubmitButton } from './fields';
import type { StepPageData } from '@/lib/hosted/step-page';

/**
 * The sign-in form's page body. Drawn by the custom server for `GET /login?tx=…` (lib/hosted/render-login)
 * and by the App Router page (requests the custom server hands to Next), so both look the same.
 */
export function LoginStep({ data }: { data: StepPageData }) {
  const { t } = data.tr;
  const typed = data.tx.state.typedUsername;
  const credentialsWrong = data.error === 'wrong_credentials';
  return (
    <StepPage data={data} title={t('hosted:login.title')}>
      <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
        <Field
          id="username"
          name="username"
          label={t('hosted:login.username')}
          autoComplete="username"
          defaultValue={typed}
          required
          maxLength={128}
          autoCapitalize="none"
          spellCheck={false}
          dir="auto"
          autoFocus={!data.error && !typed}
          invalid={credentialsWrong}
        />
        <Field
          id="password"
          name="password"
          type="password"
          label={t('hosted:login.password')}
          autoComplete="current-password"
          required
          maxLength={256}
          autoFocus={!data.error && !!typed}
          invalid={credentialsWrong}
        />
        <SubmitButton>{t('hosted:login.submit')}</SubmitButton>
      </StepForm>
    </StepPage>
  );
}
