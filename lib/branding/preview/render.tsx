import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactNode } from 'react';
import type { UserPoolClientType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../../hosted/runtime';
import type { StepPageData } from '../../hosted/step-page';
import type { StepPath } from '../../hosted/routes';
import type { Transaction, TransactionState } from '../../hosted/transactions';
import type { FormError } from '../../hosted/form-errors';
import type { Flash } from '../../hosted/flash';
import type { AccountPageData } from '../../hosted/account/page';
import type { Translator } from '../../i18n/translate';
import type { LanguageForm } from '../../i18n/language-form';
import type { PageTheme } from '../page-theme';
import { signupForm } from '../../hosted/signup/form';
import { passwordRules } from '../../hosted/signup/password-rules';
import { otpauthUri, qrDataUrl } from '../../hosted/totp-enrolment';
import { confirmLogoutPage } from '../../hosted/logout-page';
import { escapeHtml } from '../../security/plain-page';
import { HostedDocument } from '@/components/hosted/document';
import { LoginStep } from '@/components/hosted/login-form';
import { MfaStep } from '@/components/hosted/steps/mfa-step';
import { SelectMfaStep } from '@/components/hosted/steps/select-mfa-step';
import { MfaSetupStep } from '@/components/hosted/steps/mfa-setup-step';
import { NewPasswordStep } from '@/components/hosted/steps/new-password-step';
import { SignupStep } from '@/components/hosted/steps/signup-step';
import { ConfirmTransactionStep } from '@/components/hosted/steps/confirm-user';
import { ForgotPasswordStep } from '@/components/hosted/recovery/forgot-password-step';
import { ConfirmForgotPasswordStep } from '@/components/hosted/recovery/confirm-forgot-password-step';
import { ErrorView } from '@/components/hosted/steps/error-view';
import { AccountFrame } from '@/components/hosted/account-frame';
import { ContactSection, MfaSection, PasswordSection, ProfileSection, SignOutSection } from '@/components/hosted/account-sections';
import { PreviewBanner } from '@/components/branding/preview-banner';
import type { PreviewPage } from './pages';

/**
 * A hosted page drawn for the admin preview: the very components of the real page, fed sample data
 * instead of a sign-in transaction (nothing is created, read or sent), every form pointing at "#"
 * and a banner saying so. The page's own document (language, direction, stylesheets, nonce) as the
 * custom server draws /login.
 */
export interface PreviewContext {
  rt: HostedRuntime;
  tr: Translator;
  nonce?: string;
  theme?: PageTheme;
  /** The language picker: this preview page, keeping its query. */
  language: LanguageForm;
  clientId: string;
  poolId: string;
  clientName?: string;
  stylesheets: readonly string[];
}

const SAMPLE_USER = 'jane.doe@example.com';
const SAMPLE_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const SAMPLE_POLICY = { MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: false };
const NO_FLASH: Flash = { values: {}, errors: {} };

function stepData(c: PreviewContext, state: Partial<TransactionState>, o: { error?: FormError; flash?: Flash } = {}): StepPageData {
  const tx: Transaction = {
    id: 'preview',
    expiresAt: c.rt.clock.now() + 300_000,
    state: {
      step: 'login',
      request: { clientId: c.clientId, poolId: c.poolId, responseType: 'code', redirectUri: 'https://app.example.com/callback', scopes: ['openid'] },
      ...state,
    },
  };
  return {
    rt: c.rt,
    tx,
    csrf: 'preview',
    action: '#',
    error: o.error,
    tr: c.tr,
    nonce: c.nonce,
    clientName: c.clientName,
    language: c.language,
    flash: o.flash ?? NO_FLASH,
    theme: c.theme,
    selfSignUp: true,
    pageHref: (_path: StepPath) => '#',
  };
}

function samplePool(c: PreviewContext): UserPoolType {
  return {
    Id: c.poolId,
    Name: 'Preview',
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    Policies: { PasswordPolicy: SAMPLE_POLICY },
    SchemaAttributes: [
      { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
      { Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true },
    ],
  };
}

function accountData(c: PreviewContext): AccountPageData {
  return {
    rt: c.rt,
    tr: c.tr,
    nonce: c.nonce,
    csrf: 'preview',
    action: '#',
    params: { clientId: c.clientId },
    clientName: c.clientName,
    backUrl: '#',
    logoutHref: '#',
    language: c.language,
    flash: NO_FLASH,
    username: SAMPLE_USER,
    contacts: [
      { attribute: 'email', value: SAMPLE_USER, verified: true, keepsOld: true, changeable: true },
      { attribute: 'phone_number', value: '+15555550100', verified: false, keepsOld: true, changeable: true },
    ],
    mfa: { totpAvailable: true, required: false, enabled: ['SOFTWARE_TOKEN_MFA'], preferred: 'SOFTWARE_TOKEN_MFA', totpRemovable: true },
    passwordPolicy: SAMPLE_POLICY,
    theme: c.theme,
  };
}

async function body(page: Exclude<PreviewPage, 'logout'>, c: PreviewContext): Promise<ReactNode> {
  const { t } = c.tr;
  switch (page) {
    case 'login':
      return <LoginStep data={stepData(c, {})} />;
    case 'login-error':
      return <LoginStep data={stepData(c, { typedUsername: SAMPLE_USER }, { error: 'wrong_credentials' })} />;
    case 'mfa':
      return <MfaStep data={stepData(c, { step: 'SOFTWARE_TOKEN_MFA', challengeParameters: { FRIENDLY_DEVICE_NAME: 'Authenticator' } })} />;
    case 'mfa/select':
      return <SelectMfaStep data={stepData(c, { step: 'SELECT_MFA_TYPE', challengeParameters: { MFAS_CAN_CHOOSE: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' } })} />;
    case 'mfa/setup': {
      const data = stepData(c, { step: 'MFA_SETUP', totpSecret: SAMPLE_SECRET, typedUsername: SAMPLE_USER, challengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' } });
      return <MfaSetupStep data={data} qr={await qrDataUrl(otpauthUri('Preview', SAMPLE_USER, SAMPLE_SECRET))} />;
    }
    case 'new-password':
      return (
        <NewPasswordStep
          data={stepData(c, { step: 'NEW_PASSWORD_REQUIRED', challengeParameters: { requiredAttributes: '["userAttributes.name"]' } })}
          rules={passwordRules(SAMPLE_POLICY)}
        />
      );
    case 'signup': {
      const client: UserPoolClientType = { ClientId: c.clientId, UserPoolId: c.poolId, ClientName: c.clientName };
      return <SignupStep data={stepData(c, {})} shape={signupForm(samplePool(c), client)} terms={c.theme?.termsUrl} privacy={c.theme?.privacyUrl} />;
    }
    case 'confirmUser':
      return <ConfirmTransactionStep data={stepData(c, { typedUsername: SAMPLE_USER })} sent={false} />;
    case 'forgotPassword':
      return <ForgotPasswordStep data={stepData(c, { typedUsername: SAMPLE_USER })} />;
    case 'confirmforgotPassword':
      return <ConfirmForgotPasswordStep data={stepData(c, { recovery: { username: SAMPLE_USER } })} rules={passwordRules(SAMPLE_POLICY)} resent={false} />;
    case 'account': {
      const data = accountData(c);
      return (
        <AccountFrame data={data} fieldLabels={{}}>
          <ProfileSection data={data} />
          <PasswordSection data={data} />
          <MfaSection data={data} />
          {data.contacts.map((contact) => (
            <ContactSection key={contact.attribute} data={data} contact={contact} />
          ))}
          <SignOutSection data={data} />
        </AccountFrame>
      );
    }
    case 'error':
      return <ErrorView t={t} locale={c.tr.locale} code="expired" language={c.language} nonce={c.nonce} theme={c.theme} />;
  }
}

export async function renderPreview(page: PreviewPage, c: PreviewContext): Promise<string> {
  const { t, locale, dir } = c.tr;
  const banner = t('common:preview.banner');
  if (page === 'logout') {
    // The sign-out pages are HTML strings (lib/hosted/logout-page.ts); the banner goes in front.
    const html = confirmLogoutPage(c.tr, { csrf: 'preview', action: '#', targetRefused: false, nonce: c.nonce, theme: c.theme });
    const nonceAttr = c.nonce ? ` nonce="${escapeHtml(c.nonce)}"` : '';
    return html
      .replace('</head>', `<style${nonceAttr}>.portico-preview{margin:0;padding:.5rem 1rem;text-align:center;font-weight:600;background:#fef3c7;color:#451a03}</style></head>`)
      .replace('<body>', `<body><p role="note" data-portico-preview="" class="portico-preview">${escapeHtml(banner)}</p>`);
  }
  const markup = renderToStaticMarkup(
    <HostedDocument
      locale={locale}
      dir={dir}
      title={`${t('common:preview.title')} · ${t('common:appName')}`}
      description={t('common:tagline')}
      stylesheets={c.stylesheets}
      nonce={c.nonce}
      favicon={c.theme?.favicon}
    >
      <PreviewBanner text={banner} />
      {await body(page, c)}
    </HostedDocument>,
  );
  return `<!DOCTYPE html>${markup}`;
}
