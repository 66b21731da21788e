import type { HostedRuntime } from './runtime';
import { loadTransaction, type Transaction } from './transactions';
import { csrfToken } from './csrf';
import { STEP_PATH, errorPageUrl, isSelfServicePath, stepUrl, type StepPath } from './routes';
import { isFormError, type FormError } from './form-errors';
import { FLASH_PARAM, loadFlash, type Flash } from './flash';
import type { Translator } from '../i18n/translate';
import { languageForm, type LanguageForm } from '../i18n/language-form';
import { overriddenTranslator } from '../settings/text-overrides';
import { pageTheme, type PageTheme } from '../branding/page-theme';

/**
 * What a step page needs to render, without a framework: the transaction (bound to this browser's
 * cookie), the CSRF token for its form, where the form posts, and the error to show. A page for the
 * wrong step sends the browser to the right one; a missing, expired or foreign transaction to the
 * "sign-in expired" page. The App Router pages (page-data.ts) and the custom server's /login
 * (login-page.ts) both read it here.
 */
export type SearchParams = Record<string, string | string[] | undefined>;

export interface StepPageData {
  rt: HostedRuntime;
  tx: Transaction;
  csrf: string;
  /** The form's action: this page, with its `?tx=` and language hints (never the error). */
  action: string;
  error?: FormError;
  tr: Translator;
  nonce?: string;
  /** The app the person is signing in to (its ClientName), for "to continue to …". */
  clientName?: string;
  /** The language picker's form: this page with its `tx` and `f`, without the language hints. */
  language: LanguageForm;
  /** Values and field errors of the last failed POST of this form (`?f=`; lib/hosted/flash). */
  flash: Flash;
  /** The pool's and client's theme (lib/branding). */
  theme?: PageTheme;
  /** Whether the pool lets people sign up themselves (the sign-in page links to /signup). */
  selfSignUp: boolean;
  /** The URL of another page of this transaction (same language hints), e.g. `/signup?tx=…`. */
  pageHref: (path: StepPath, extra?: Record<string, string | undefined>) => string;
}

export type StepPageResolution = { ok: true; data: StepPageData } | { ok: false; location: string };

export interface StepPageContext {
  /** The browser cookie's value, if the request carried one. */
  browserId: string | undefined;
  nonce: string | undefined;
  /** The request's translator (locale already negotiated); the client's and pool's text overrides are added here. */
  tr: Translator;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function resolveStepPage(rt: HostedRuntime, path: StepPath, sp: SearchParams, ctx: StepPageContext): Promise<StepPageResolution> {
  const hints = { lang: one(sp['lang']), uiLocales: one(sp['ui_locales']) };
  const found = await loadTransaction(rt, one(sp['tx']), ctx.browserId);
  if (!found.ok) return { ok: false, location: errorPageUrl('expired', hints) };
  const { tx } = found;
  const actual = STEP_PATH[tx.state.step];
  // Self-service pages open from the password step; a challenge in progress keeps the person on it.
  const here = isSelfServicePath(path) ? tx.state.step === 'login' : actual === path;
  if (!here) return { ok: false, location: stepUrl(actual, tx.id, hints) };
  const error = one(sp['error']);
  const { clientId, poolId } = tx.state.request;
  const [client, pool, flash, tr, theme] = await Promise.all([
    rt.directory.appClient(clientId).catch(() => undefined),
    path === '/login' ? rt.directory.pool(poolId).catch(() => undefined) : undefined,
    loadFlash(rt, one(sp[FLASH_PARAM]), ctx.browserId),
    overriddenTranslator(rt.db, ctx.tr, { poolId, clientId }),
    pageTheme({ db: rt.db, cognito: rt.cognito, publicUrl: rt.settings.publicUrl, now: rt.clock.now() }, poolId, clientId, ctx.tr),
  ]);
  return {
    ok: true,
    data: {
      rt,
      tx,
      csrf: csrfToken(rt, ctx.browserId!, tx.id),
      action: stepUrl(path, tx.id, hints),
      error: isFormError(error) ? error : undefined,
      tr,
      nonce: ctx.nonce,
      clientName: client?.ClientName,
      language: languageForm(path, { tx: tx.id, [FLASH_PARAM]: one(sp[FLASH_PARAM]) }),
      flash,
      selfSignUp: pool !== undefined && pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true,
      pageHref: (to, extra) => stepUrl(to, tx.id, hints, extra),
      theme,
    },
  };
}
