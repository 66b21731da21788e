import type { ReactNode } from 'react';
import { ErrorSummary, HostedFrame, type SummaryItem } from './frame';
import { fieldId } from './fields';
import type { AccountPageData } from '@/lib/hosted/account/page';
import { shellText } from '@/lib/i18n/shell-text';

/**
 * The account page's frame: the shared hosted card, an error summary for a failed form (each field
 * error linked to its field, prefixed with the field's label) and the confirmation of the last action
 * (role="status").
 */
export function AccountFrame(props: { data: AccountPageData; fieldLabels: Record<string, string>; children: ReactNode }) {
  const { tr, flash, done, clientName, language, nonce } = props.data;
  const { t } = tr;
  const items: SummaryItem[] = Object.entries(flash.errors).map(([field, code]) => {
    const message = t(`hosted:form.${code}`);
    if (!field) return { message };
    const label = props.fieldLabels[field];
    return { message: label ? `${label}: ${message}` : message, href: `#${fieldId(field)}` };
  });
  return (
    <HostedFrame
      locale={tr.locale}
      language={language}
      nonce={nonce}
      text={shellText(t)}
      title={t('account:title')}
      subtitle={clientName ? t('account:forApp', { client: clientName }) : undefined}
      summary={items.length > 0 ? <ErrorSummary heading={t('hosted:errorSummaryTitle')} items={items} /> : undefined}
      theme={props.data.theme}
    >
      {done ? (
        <p id="account-done" role="status" className="mb-6 rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t(`account:done.${done}`)}
        </p>
      ) : null}
      {props.children}
    </HostedFrame>
  );
}
