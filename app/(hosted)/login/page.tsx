import type { Metadata } from 'next';
import { serverTranslator } from '@/lib/i18n/server';
import { stepPageData, type SearchParams } from '@/lib/hosted/page-data';
import { StepPage } from '@/components/hosted/step-page';
import { Field, StepForm, SubmitButton } from '@/components/hosted/fields';

/** The sign-in form (GET /login?tx=…). Without `?tx=`, proxy.ts sends /login to the authorization endpoint. */
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await serverTranslator('hosted');
  return { title: t('login.title'), robots: { index: false } };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const data = await stepPageData('/login', await searchParams);
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
