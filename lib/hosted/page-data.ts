import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { hostedRuntime, type HostedRuntime } from './runtime';
import { loadTransaction, type Transaction } from './transactions';
import { cookieNames } from './cookies';
import { csrfToken } from './csrf';
import { STEP_PATH, errorPageUrl, stepUrl, type StepPath } from './routes';
import { isFormError, type FormError } from './form-errors';
import { serverTranslator } from '../i18n/server';
import type { Translator } from '../i18n/translate';
import type { Locale } from '../i18n/locales';
import { NONCE_HEADER } from '../security/markers';

/**
 * What a step page needs to render, read on the server: the transaction (bound to this browser's
 * cookie), the CSRF token for its form, where the form posts, and the error to show. A page for the
 * wrong step sends the browser to the right one; a missing, expired or foreign transaction to the
 * "sign-in expired" page.
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
  languageHref: (locale: Locale) => string;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function stepPageData(path: StepPath, sp: SearchParams): Promise<StepPageData> {
  const rt = await hostedRuntime();
  const jar = await cookies();
  const browserId = jar.get(cookieNames(rt.settings.publicUrl.startsWith('https://')).browser)?.value;
  const hints = { lang: one(sp['lang']), uiLocales: one(sp['ui_locales']) };
  const found = await loadTransaction(rt, one(sp['tx']), browserId);
  if (!found.ok) redirect(errorPageUrl('expired', hints));
  const { tx } = found;
  const actual = STEP_PATH[tx.state.step];
  if (actual !== path) redirect(stepUrl(actual, tx.id, hints));
  const error = one(sp['error']);
  const client = await rt.directory.appClient(tx.state.request.clientId).catch(() => undefined);
  return {
    rt,
    tx,
    csrf: csrfToken(rt, browserId!, tx.id),
    action: stepUrl(path, tx.id, hints),
    error: isFormError(error) ? error : undefined,
    tr: await serverTranslator(['hosted', 'common']),
    nonce: (await headers()).get(NONCE_HEADER) ?? undefined,
    clientName: client?.ClientName,
    // An explicit choice replaces the app's ui_locales (which would otherwise win the negotiation).
    languageHref: (locale) => stepUrl(path, tx.id, { lang: locale }),
  };
}
