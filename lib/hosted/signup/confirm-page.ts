import { cookies, headers } from 'next/headers';
import { hostedRuntime, type HostedRuntime } from '../runtime';
import { cookieNames } from '../cookies';
import { csrfToken } from '../csrf';
import { FLASH_PARAM, loadFlash, type Flash } from '../flash';
import { isFormError, type FormError } from '../form-errors';
import type { SearchParams } from '../step-page';
import { serverTranslator } from '../../i18n/server';
import type { Translator } from '../../i18n/translate';
import { languageFormOf, type LanguageForm } from '../../i18n/language-form';
import { overriddenTranslator } from '../../settings/text-overrides';
import { NONCE_HEADER } from '../../security/markers';
import { cooldownLeft, loadPending, PENDING_PARAM, type PendingSignup } from './pending';
import { linkCsrfId, pendingCsrfId } from './confirm';
import { requestHttps } from '../../domains/hosted';
import { requestTheme } from '../../branding/hosted-theme';
import type { PageTheme } from '../../branding/page-theme';

/**
 * What the /confirmUser page shows outside a sign-in transaction's own form: a pending sign-up of this
 * browser (`?p=`, which outlives the transaction), and the answers to the emailed link (`?done`,
 * `?failed`/`?sent` with client_id and user_name).
 */
export type ConfirmView =
  | { kind: 'pending'; pending: PendingSignup; csrf: string; action: string; secondsLeft: number; sent: boolean }
  | { kind: 'done' }
  | { kind: 'link'; clientId: string; username: string; failed?: FormError; sent: boolean; csrf?: string; action: string }
  | { kind: 'transaction' };

export interface ConfirmPageData {
  rt: HostedRuntime;
  view: ConfirmView;
  tr: Translator;
  nonce?: string;
  flash: Flash;
  clientName?: string;
  /** The language picker's form (this page's parameters, without the language hints). */
  language?: LanguageForm;
  /** The app client's theme (lib/branding): the pending sign-up's or the link's client. */
  theme?: PageTheme;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function href(sp: SearchParams, keep: string[], extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const k of keep) {
    const v = one(sp[k]);
    if (v !== undefined) q.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
  return `/confirmUser?${q.toString()}`;
}

export async function confirmPageData(sp: SearchParams): Promise<ConfirmPageData> {
  const rt = await hostedRuntime();
  const browserId = (await cookies()).get(cookieNames(requestHttps(rt, await headers())).browser)?.value;
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  const tr = await serverTranslator(['signup', 'hosted', 'common']);
  const flash = await loadFlash(rt, one(sp[FLASH_PARAM]), browserId);
  const hdrs = await headers();
  const base = { rt, tr, nonce, flash };
  const themeOf = (clientId: string | undefined) => requestTheme(rt, hdrs, clientId, tr).catch(() => undefined);
  const p = one(sp[PENDING_PARAM]);
  const pageKeys = [PENDING_PARAM, 'tx', 'lang', 'ui_locales'];
  if (p) {
    const pending = await loadPending(rt, p, browserId);
    if (pending && browserId) {
      const client = await rt.directory.appClient(pending.clientId).catch(() => undefined);
      return {
        ...base,
        tr: await overriddenTranslator(rt.db, tr, { clientId: pending.clientId, poolId: client?.UserPoolId }),
        clientName: client?.ClientName,
        theme: await themeOf(pending.clientId),
        language: languageFormOf(href(sp, [PENDING_PARAM, 'tx'], { [FLASH_PARAM]: one(sp[FLASH_PARAM]) })),
        view: {
          kind: 'pending',
          pending,
          csrf: csrfToken(rt, browserId, pendingCsrfId(p)),
          action: href(sp, pageKeys),
          secondsLeft: cooldownLeft(rt, pending.lastSentAt),
          sent: one(sp['sent']) === '1',
        },
      };
    }
  }
  if (one(sp['tx'])) return { ...base, view: { kind: 'transaction' } };
  const linkKeys = ['client_id', 'user_name'];
  const language = languageFormOf(href(sp, [...linkKeys, 'done', 'failed', 'sent']));
  const clientId = one(sp['client_id']);
  if (one(sp['done']) === '1') return { ...base, language, theme: await themeOf(clientId), view: { kind: 'done' } };
  const username = one(sp['user_name']);
  if (clientId && username && clientId.length <= 128 && username.length <= 128) {
    const failed = one(sp['failed']);
    const client = await rt.directory.appClient(clientId).catch(() => undefined);
    return {
      ...base,
      tr: await overriddenTranslator(rt.db, tr, { clientId, poolId: client?.UserPoolId }),
      language,
      theme: await themeOf(clientId),
      view: {
        kind: 'link',
        clientId,
        username,
        failed: isFormError(failed) ? failed : undefined,
        sent: one(sp['sent']) === '1',
        csrf: browserId ? csrfToken(rt, browserId, linkCsrfId(clientId, username)) : undefined,
        action: href(sp, [...linkKeys, 'lang', 'ui_locales']),
      },
    };
  }
  return { ...base, language, view: { kind: 'transaction' } };
}
