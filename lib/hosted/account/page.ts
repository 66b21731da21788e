import { GetUserCommand, GetUserPoolMfaConfigCommand, type PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../runtime';
import { errorPageUrl } from '../routes';
import { FLASH_PARAM, loadFlash, type Flash } from '../flash';
import { otpauthUri, qrDataUrl } from '../totp-enrolment';
import type { Translator } from '../../i18n/translate';
import { languageFormOf, type LanguageForm } from '../../i18n/language-form';
import { overriddenTranslator } from '../../settings/text-overrides';
import { pageTheme, type PageTheme } from '../../branding/page-theme';
import { accountParamsOf, accountUrl, type AccountParams } from './entry';
import { accountCsrf, openAccount, type AccountCookies } from './access';
import { saveAccountState, CONTACT_ATTRIBUTES, type ContactAttribute, type PendingContact } from './state';
import { isDoneCode, type DoneCode } from './respond';
import { attributesOf, contactChangeAllowed, enabledFactors, keepsOldValue, totpRemovalAllowed, type MfaFactor } from './rules';

/**
 * Everything the account page shows, read fresh on each view (GetUser with the account sign-in's
 * token), or where the browser must go instead: the account sign-in when there is no recent one, the
 * error page for an unknown client.
 */
export type SearchParams = Record<string, string | string[] | undefined>;

export interface ContactView {
  attribute: ContactAttribute;
  value?: string;
  verified: boolean;
  /** A code is on its way to this value (new, or the current unverified one). */
  pending?: PendingContact;
  /** The new value replaces the old only after its code (the pool's AttributesRequireVerificationBeforeUpdate). */
  keepsOld: boolean;
  /** The page offers a new value (rules.ts). */
  changeable: boolean;
}

export interface AccountPageData {
  rt: HostedRuntime;
  tr: Translator;
  nonce?: string;
  csrf: string;
  /** Where every form posts: /account with its parameters. */
  action: string;
  params: AccountParams;
  clientName?: string;
  backUrl?: string;
  logoutHref: string;
  /** The language picker's form: this page's parameters, without the language hints. */
  language: LanguageForm;
  flash: Flash;
  done?: DoneCode;
  username: string;
  contacts: ContactView[];
  mfa: {
    /** The pool lets users add an authenticator app. */
    totpAvailable: boolean;
    required: boolean;
    enabled: MfaFactor[];
    preferred?: string;
    totpRemovable: boolean;
    /** An enrolment in progress: the key and its QR code. */
    setup?: { secret: string; qr: string };
  };
  passwordPolicy?: PasswordPolicyType;
  /** The pool's and client's theme (lib/branding). */
  theme?: PageTheme;
}

export type AccountPageResolution = { ok: true; data: AccountPageData } | { ok: false; location: string };

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function resolveAccountPage(
  rt: HostedRuntime,
  sp: SearchParams,
  ctx: { cookies: AccountCookies; tr: Translator; nonce?: string },
): Promise<AccountPageResolution> {
  const params = accountParamsOf(sp);
  const hints = { lang: one(sp['lang']), uiLocales: one(sp['ui_locales']) };
  if (!params) return { ok: false, location: errorPageUrl('invalid_client', hints) };
  const access = await openAccount(rt, params, ctx.cookies);
  if (!access.ok) {
    return { ok: false, location: access.reason === 'client' ? errorPageUrl('invalid_client', hints) : accountUrl('/account/signin', access.params) };
  }
  const { state, account, session } = access;
  const p = access.params;
  const poolId = account.client.UserPoolId;
  let user;
  try {
    user = await rt.cognito.send(new GetUserCommand({ AccessToken: state.accessToken }));
  } catch (e) {
    // A token that no longer works (signed out elsewhere, user disabled): sign in again.
    if ((e as { name?: string }).name !== 'NotAuthorizedException' && (e as { name?: string }).name !== 'UserNotFoundException') throw e;
    await saveAccountState(rt, session.id, null);
    return { ok: false, location: accountUrl('/account/signin', p) };
  }
  const [pool, mfaConfig, flash, tr, theme] = await Promise.all([
    rt.directory.pool(poolId).catch(() => undefined),
    rt.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId })).catch(() => undefined),
    loadFlash(rt, one(sp[FLASH_PARAM]), access.browserId),
    overriddenTranslator(rt.db, ctx.tr, { poolId, clientId: p.clientId }),
    pageTheme({ db: rt.db, cognito: rt.cognito, publicUrl: rt.settings.publicUrl, now: rt.clock.now() }, poolId, p.clientId, ctx.tr),
  ]);
  const attrs = attributesOf(user);
  const username = user.Username ?? session.data.username;
  let setup: AccountPageData['mfa']['setup'];
  if (state.totpSecret) {
    const poolName = pool?.Name ?? poolId;
    setup = { secret: state.totpSecret, qr: await qrDataUrl(otpauthUri(poolName, username, state.totpSecret)) };
  }
  const done = one(sp['done']);
  const registeredLogout = p.redirectUri && (account.client.LogoutURLs ?? []).includes(p.redirectUri) ? p.redirectUri : undefined;
  const logout = new URLSearchParams({ client_id: p.clientId });
  if (registeredLogout) logout.set('logout_uri', registeredLogout);
  return {
    ok: true,
    data: {
      rt,
      tr,
      nonce: ctx.nonce,
      csrf: accountCsrf(rt, access.browserId, session),
      action: accountUrl('/account', p),
      params: p,
      clientName: account.client.ClientName,
      backUrl: account.backUrl,
      logoutHref: `/logout?${logout.toString()}`,
      language: languageFormOf(accountUrl('/account', p)),
      flash,
      done: isDoneCode(done) ? done : undefined,
      username,
      contacts: CONTACT_ATTRIBUTES.map((attribute) => ({
        attribute,
        value: attrs[attribute],
        verified: attrs[`${attribute}_verified`] === 'true',
        pending: state.pending?.[attribute],
        keepsOld: keepsOldValue(pool, attribute),
        changeable: contactChangeAllowed(pool, user, attribute),
      })),
      mfa: {
        totpAvailable: mfaConfig ? mfaConfig.SoftwareTokenMfaConfiguration?.Enabled === true : (pool?.MfaConfiguration ?? 'OFF') !== 'OFF',
        required: pool?.MfaConfiguration === 'ON',
        enabled: enabledFactors(user),
        preferred: user.PreferredMfaSetting,
        totpRemovable: totpRemovalAllowed(pool, user),
        setup,
      },
      passwordPolicy: pool?.Policies?.PasswordPolicy,
      theme,
    },
  };
}
