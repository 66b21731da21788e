import type { StepPageData } from '@/lib/hosted/step-page';
import { cooldownLeft } from '@/lib/hosted/signup/pending';
import type { ConfirmPageData } from '@/lib/hosted/signup/confirm-page';
import { StepPage } from '@/components/hosted/step-page';
import { SignupFrame } from '@/components/hosted/signup-frame';
import { CodeField, Field, StepForm, SubmitButton } from '@/components/hosted/fields';
import { ResendButton } from '@/components/hosted/signup-resend';
import { pluralTemplates } from '@/lib/i18n/plural-templates';
import type { Translator } from '@/lib/i18n/translate';
import type { FormError } from '@/lib/hosted/form-errors';

/**
 * The /confirmUser page's views (the sign-in transaction's form, a pending sign-up's code, the emailed
 * link's answers), shared by the page and the admin preview.
 */
function ConfirmCode(props: { t: Translator['t']; error?: FormError; autoFocus: boolean; hintId?: string }) {
  const { t } = props;
  return (
    <CodeField
      label={t('signup:confirm.code')}
      hintId={props.hintId}
      autoFocus={props.autoFocus}
      errorMessage={props.error ? t(`hosted:form.${props.error}`) : undefined}
    />
  );
}

function Sent(props: { text: string }) {
  return (
    <p role="status" className="mb-4 rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
      {props.text}
    </p>
  );
}

/** The sign-in transaction's form: username (filled in from the sign-in page) and code. */
export function ConfirmTransactionStep({ data, sent }: { data: StepPageData; sent: boolean }) {
  const { t } = data.tr;
  const { values, errors } = data.flash;
  const username = values['username'] ?? data.tx.state.typedUsername;
  const labels = { username: t('signup:confirm.username'), code: t('signup:confirm.code') };
  return (
    <StepPage data={data} title={t('signup:confirm.title')} fieldLabels={labels}>
      {sent ? <Sent text={t('signup:confirm.resent')} /> : null}
      <p id="code-hint" className="mb-4">
        {t('signup:confirm.intro')}
      </p>
      <StepForm action={data.action} csrf={data.csrf} nonce={data.nonce}>
        <Field
          id="username"
          name="username"
          label={labels.username}
          autoComplete="username"
          defaultValue={username}
          required
          maxLength={128}
          autoCapitalize="none"
          spellCheck={false}
          dir="auto"
          autoFocus={!username && !data.error}
          errorMessage={errors['username'] ? t(`hosted:form.${errors['username']}`) : undefined}
        />
        <ConfirmCode t={t} error={errors['code']} autoFocus={!!username && !data.error && !errors['username']} hintId="code-hint" />
        <SubmitButton>{t('signup:confirm.submit')}</SubmitButton>
        <ResendButton label={t('signup:confirm.resend')} wait={pluralTemplates(data.tr, 'signup:confirm.wait')} secondsLeft={0} nonce={data.nonce} />
      </StepForm>
      <p className="mt-6 text-sm">
        <a className="text-brand underline" href={data.pageHref('/login')}>
          {t('signup:backToSignIn')}
        </a>
      </p>
    </StepPage>
  );
}

export function ConfirmPendingView({ data }: { data: ConfirmPageData & { view: { kind: 'pending' } } }) {
  const { t } = data.tr;
  const { pending, csrf, action, sent } = data.view;
  const { errors } = data.flash;
  const destination = pending.data.destination;
  // The cooldown is counted when the page is drawn (a reload shows the button again).
  const secondsLeft = cooldownLeft(data.rt, pending.lastSentAt);
  return (
    <SignupFrame tr={data.tr} title={t('signup:confirm.title')} clientName={data.clientName} language={data.language} nonce={data.nonce} theme={data.theme} errors={errors} fieldLabels={{ code: t('signup:confirm.code') }}>
      {sent ? <Sent text={t('signup:confirm.resent')} /> : null}
      <p id="code-hint" className="mb-4">
        {destination ? t('signup:confirm.sentTo', { destination }) : t('signup:confirm.sentSomewhere')}
      </p>
      <StepForm action={action} csrf={csrf} nonce={data.nonce}>
        <ConfirmCode t={t} error={errors['code']} autoFocus={Object.keys(errors).length === 0} hintId="code-hint" />
        <SubmitButton>{t('signup:confirm.submit')}</SubmitButton>
        <ResendButton label={t('signup:confirm.resend')} wait={pluralTemplates(data.tr, 'signup:confirm.wait')} secondsLeft={secondsLeft} nonce={data.nonce} />
      </StepForm>
    </SignupFrame>
  );
}

export function ConfirmLinkView({ data }: { data: ConfirmPageData & { view: { kind: 'link' } } }) {
  const { t } = data.tr;
  const { failed, sent, csrf, action } = data.view;
  return (
    <SignupFrame tr={data.tr} title={sent ? t('signup:confirm.title') : t('signup:confirm.failedTitle')} language={data.language} nonce={data.nonce} theme={data.theme} error={failed}>
      {sent ? <Sent text={t('signup:confirm.resent')} /> : <p className="mb-4">{t('signup:confirm.failedText')}</p>}
      {csrf && failed !== 'already_confirmed' ? (
        <StepForm action={action} csrf={csrf} nonce={data.nonce}>
          <ResendButton label={t('signup:confirm.resend')} wait={pluralTemplates(data.tr, 'signup:confirm.wait')} secondsLeft={0} nonce={data.nonce} />
        </StepForm>
      ) : null}
    </SignupFrame>
  );
}


/** The emailed link worked. */
export function ConfirmDoneView({ data }: { data: ConfirmPageData }) {
  const { t } = data.tr;
  return (
    <SignupFrame tr={data.tr} title={t('signup:confirm.doneTitle')} language={data.language} nonce={data.nonce} theme={data.theme}>
      <p role="status">{t('signup:confirm.doneText')}</p>
    </SignupFrame>
  );
}
