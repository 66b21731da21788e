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
  const notice = data.tx.state.notice;
  return (
    <StepPage data={data} title={t('hosted:login.title')}>
      {notice ? (
        <p role="status" className="mb-4 rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t(`hosted:notice.${notice}`)}
        </p>
      ) : null}
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
      <nav className="mt-6 space-y-2 text-sm" aria-label={t('hosted:login.more')}>
        {data.error === 'not_confirmed' ? (
          <p>
            <a className="font-medium text-brand underline" href={data.pageHref('/confirmUser')}>
              {t('hosted:login.confirm')}
            </a>
          </p>
        ) : null}
        <p>
          <a className="text-brand underline" href={data.pageHref('/forgotPassword')}>
            {t('hosted:login.forgot')}
          </a>
        </p>
        {data.selfSignUp ? (
          <p>
            {t('hosted:login.signupPrompt')}{' '}
            <a className="font-medium text-brand underline" href={data.pageHref('/signup')}>
              {t('hosted:login.signup')}
            </a>
          </p>
        ) : null}
      </nav>
    </StepPage>
  );
}
