import type { ReactNode } from 'react';
import { PasswordPolicy, PASSWORD_RULES_ID } from './password-policy';
import { passwordRules } from '@/lib/hosted/signup/password-rules';
import { CodeField, Field, HiddenField, StepForm, SubmitButton } from './fields';
import type { AccountPageData, ContactView } from '@/lib/hosted/account/page';

/**
 * The account page's sections. Each form posts to /account with its `action`; fields are named
 * `<section>.<field>` so the ids (and the error summary's links) stay unique on the page.
 */
type Data = AccountPageData;

function errorOf(data: Data, name: string): string | undefined {
  const code = data.flash.errors[name];
  return code ? data.tr.t(`hosted:form.${code}`) : undefined;
}

function ActionForm(props: { data: Data; action: string; children: ReactNode; extra?: Record<string, string> }) {
  return (
    <StepForm action={props.data.action} csrf={props.data.csrf} nonce={props.data.nonce}>
      <HiddenField name="action" value={props.action} />
      {Object.entries(props.extra ?? {}).map(([k, v]) => (
        <HiddenField key={k} name={k} value={v} />
      ))}
      {props.children}
    </StepForm>
  );
}

function Section(props: { id: string; heading: string; children: ReactNode }) {
  return (
    <section id={props.id} aria-labelledby={`${props.id}-heading`} className="mt-8 space-y-4 border-t border-stone-200 pt-6 first:mt-0 first:border-t-0 first:pt-0">
      <h2 id={`${props.id}-heading`} className="text-lg font-semibold">
        {props.heading}
      </h2>
      {props.children}
    </section>
  );
}

function SecondaryButton(props: { children: ReactNode }) {
  return (
    <button type="submit" className="rounded-md border border-stone-300 bg-white px-4 py-2 font-medium text-stone-900 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand">
      {props.children}
    </button>
  );
}

function CurrentPassword(props: { data: Data; name: string }) {
  return (
    <Field
      id={props.name.replace(/[^A-Za-z0-9_-]/g, '-')}
      name={props.name}
      type="password"
      label={props.data.tr.t('account:currentPassword')}
      autoComplete="current-password"
      required
      maxLength={256}
      errorMessage={errorOf(props.data, props.name)}
    />
  );
}

export function ProfileSection({ data }: { data: Data }) {
  const { t } = data.tr;
  return (
    <Section id="profile" heading={t('account:profile.heading')}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
        <dt className="font-medium">{t('account:profile.username')}</dt>
        <dd id="profile-username" dir="ltr" className="break-all">
          {data.username}
        </dd>
        {data.contacts.map((c) => (
          <ProfileRow key={c.attribute} data={data} contact={c} />
        ))}
      </dl>
    </Section>
  );
}

function ProfileRow({ data, contact }: { data: Data; contact: ContactView }) {
  const { t } = data.tr;
  return (
    <>
      <dt className="font-medium">{t(`account:profile.${contact.attribute}`)}</dt>
      <dd id={`profile-${contact.attribute}`}>
        {contact.value ? (
          <>
            <span dir="ltr" className="break-all">
              {contact.value}
            </span>{' '}
            <span className={contact.verified ? 'text-green-800' : 'text-amber-800'}>
              ({contact.verified ? t('account:profile.verified') : t('account:profile.unverified')})
            </span>
          </>
        ) : (
          <span className="text-stone-600">{t('account:profile.none')}</span>
        )}
      </dd>
    </>
  );
}

export function PasswordSection({ data }: { data: Data }) {
  const { t } = data.tr;
  return (
    <Section id="password" heading={t('account:password.heading')}>
      <ActionForm data={data} action="password">
        <CurrentPassword data={data} name="pw.current" />
        <PasswordPolicy t={t} rules={passwordRules(data.passwordPolicy)} />
        <Field id="pw-new" name="pw.new" type="password" label={t('account:password.new')} autoComplete="new-password" required maxLength={256} hintId={PASSWORD_RULES_ID} errorMessage={errorOf(data, 'pw.new')} />
        <Field id="pw-confirm" name="pw.confirm" type="password" label={t('account:password.confirm')} autoComplete="new-password" required maxLength={256} errorMessage={errorOf(data, 'pw.confirm')} />
        <SubmitButton>{t('account:password.submit')}</SubmitButton>
      </ActionForm>
    </Section>
  );
}

export function MfaSection({ data }: { data: Data }) {
  const { t } = data.tr;
  const { mfa } = data;
  const totpOn = mfa.enabled.includes('SOFTWARE_TOKEN_MFA');
  return (
    <Section id="mfa" heading={t('account:mfa.heading')}>
      <p>{t(mfa.required ? 'account:mfa.requiredIntro' : 'account:mfa.intro')}</p>
      {mfa.totpAvailable ? (
        <>
          <p id="totp-status" className="font-medium">
            {t(totpOn ? 'account:mfa.totpOn' : 'account:mfa.totpOff')}
          </p>
          {mfa.setup ? (
            <TotpSetup data={data} />
          ) : (
            <ActionForm data={data} action="totp_start">
              <SecondaryButton>{t(totpOn ? 'account:mfa.reenrol' : 'account:mfa.enrol')}</SecondaryButton>
            </ActionForm>
          )}
          {totpOn && !mfa.setup ? (
            <div className="space-y-3 rounded-md border border-stone-200 p-4">
              <h3 className="font-semibold">{t('account:mfa.removeHeading')}</h3>
              {mfa.totpRemovable ? (
                <ActionForm data={data} action="totp_remove">
                  <CurrentPassword data={data} name="totp.current" />
                  <SecondaryButton>{t('account:mfa.remove')}</SecondaryButton>
                </ActionForm>
              ) : (
                <p>{t('hosted:form.mfa_required')}</p>
              )}
            </div>
          ) : null}
        </>
      ) : (
        <p>{t('account:mfa.totpUnavailable')}</p>
      )}
      {mfa.enabled.length > 1 ? <PreferredMfa data={data} /> : null}
    </Section>
  );
}

function TotpSetup({ data }: { data: Data }) {
  const { t } = data.tr;
  const setup = data.mfa.setup!;
  return (
    <div id="totp-setup" className="space-y-4 rounded-md border border-stone-200 p-4">
      <h3 className="font-semibold">{t('account:mfa.setupHeading')}</h3>
      <p>{t('hosted:setup.scan')}</p>
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL drawn on the server */}
      <img src={setup.qr} alt={t('hosted:setup.qrAlt')} width={192} height={192} className="mx-auto h-48 w-48" />
      <div>
        <p id="totp-secret-label">{t('hosted:setup.secret')}</p>
        <code id="totp-secret" aria-labelledby="totp-secret-label" dir="ltr" className="mt-1 block select-all break-all rounded-md bg-stone-100 p-2 font-mono text-sm">
          {setup.secret}
        </code>
      </div>
      <ActionForm data={data} action="totp_verify">
        <CodeField id="totp-code" name="totp.code" label={t('hosted:setup.code')} errorMessage={errorOf(data, 'totp.code')} />
        <SubmitButton>{t('account:mfa.verify')}</SubmitButton>
      </ActionForm>
      <ActionForm data={data} action="totp_cancel">
        <SecondaryButton>{t('account:mfa.cancel')}</SecondaryButton>
      </ActionForm>
    </div>
  );
}

function PreferredMfa({ data }: { data: Data }) {
  const { t } = data.tr;
  const error = errorOf(data, 'mfa.preferred');
  return (
    <ActionForm data={data} action="mfa_preferred">
      <fieldset id="mfa-preferred" aria-describedby={error ? 'mfa-preferred-error' : undefined} className="space-y-2">
        <legend className="font-semibold">{t('account:mfa.preferredHeading')}</legend>
        {error ? (
          <p id="mfa-preferred-error" className="text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
        {data.mfa.enabled.map((factor) => (
          <div key={factor} className="flex items-center gap-2">
            <input type="radio" id={`mfa-preferred-${factor}`} name="mfa.preferred" value={factor} defaultChecked={data.mfa.preferred === factor} />
            <label htmlFor={`mfa-preferred-${factor}`}>{t(`account:mfa.factor.${factor}`)}</label>
          </div>
        ))}
      </fieldset>
      <SecondaryButton>{t('account:mfa.preferredSubmit')}</SecondaryButton>
    </ActionForm>
  );
}

export function ContactSection({ data, contact }: { data: Data; contact: ContactView }) {
  const { t } = data.tr;
  const attr = contact.attribute;
  const extra = { attribute: attr };
  const heading = t(`account:contact.${attr}.heading`);
  return (
    <Section id={attr} heading={heading}>
      {contact.pending ? (
        <div className="space-y-3 rounded-md border border-stone-200 p-4">
          <p id={`${attr}-pending`}>
            {t('account:contact.pending', { value: contact.pending.value })}
          </p>
          <ActionForm data={data} action="contact_verify" extra={extra}>
            <CodeField id={`${attr}-code`} name={`${attr}.code`} label={t('account:contact.code')} errorMessage={errorOf(data, `${attr}.code`)} />
            <SubmitButton>{t('account:contact.verify')}</SubmitButton>
          </ActionForm>
          <div className="flex flex-wrap gap-3">
            <ActionForm data={data} action="contact_resend" extra={extra}>
              <SecondaryButton>{t('account:contact.resend')}</SecondaryButton>
            </ActionForm>
            <ActionForm data={data} action="contact_cancel" extra={extra}>
              <SecondaryButton>{t('account:contact.cancel')}</SecondaryButton>
            </ActionForm>
          </div>
        </div>
      ) : contact.value && !contact.verified ? (
        <ActionForm data={data} action="contact_resend" extra={extra}>
          <p>{t('account:contact.unverified')}</p>
          <SecondaryButton>{t('account:contact.verifyCurrent')}</SecondaryButton>
        </ActionForm>
      ) : null}
      {contact.changeable ? (
        <ActionForm data={data} action="contact_change" extra={extra}>
          {contact.keepsOld && contact.value ? <p id={`${attr}-keeps-old`}>{t('account:contact.keepsOld')}</p> : null}
          <Field
            id={`${attr}-value`}
            name={`${attr}.value`}
            type={attr === 'email' ? 'email' : 'tel'}
            label={t(`account:contact.${attr}.new`)}
            autoComplete={attr === 'email' ? 'email' : 'tel'}
            required
            maxLength={attr === 'email' ? 254 : 20}
            dir="ltr"
            defaultValue={data.flash.values[`${attr}.value`]}
            hintId={contact.keepsOld && contact.value ? `${attr}-keeps-old` : undefined}
            errorMessage={errorOf(data, `${attr}.value`)}
          />
          <CurrentPassword data={data} name={`${attr}.current`} />
          <SubmitButton>{t(`account:contact.${attr}.submit`)}</SubmitButton>
        </ActionForm>
      ) : (
        <p>{t('account:contact.unavailable')}</p>
      )}
    </Section>
  );
}

export function SignOutSection({ data }: { data: Data }) {
  const { t } = data.tr;
  return (
    <Section id="signout" heading={t('account:signout.heading')}>
      <p id="signout-intro">{t('account:signout.intro')}</p>
      <ActionForm data={data} action="signout_all">
        <CurrentPassword data={data} name="signout.current" />
        <SubmitButton>{t('account:signout.submit')}</SubmitButton>
      </ActionForm>
      <p>
        <a href={data.logoutHref} className="underline">
          {t('account:signout.thisBrowser')}
        </a>
      </p>
    </Section>
  );
}
