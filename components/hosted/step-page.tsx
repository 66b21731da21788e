import type { ReactNode } from 'react';
import { ErrorSummary, HostedFrame, type SummaryItem } from './frame';
import { fieldId } from './fields';
import type { StepPageData } from '@/lib/hosted/step-page';
import { shellText } from '@/lib/i18n/shell-text';

/**
 * A step page: the frame filled from the step's data (translations, error summary, language picker).
 * The summary holds the page's error (`?error=`) and the field errors of a failed form (the flash), each
 * linked to its field and prefixed with the field's label when the page gives it.
 */
export function StepPage(props: { data: StepPageData; title: string; children: ReactNode; fieldLabels?: Record<string, string> }) {
  const { tr, error, clientName, language, flash, nonce } = props.data;
  const { t } = tr;
  const items: SummaryItem[] = [];
  for (const [field, code] of Object.entries(flash.errors)) {
    const message = t(`hosted:form.${code}`);
    if (!field) {
      items.push({ message });
      continue;
    }
    const label = props.fieldLabels?.[field];
    items.push({ message: label ? `${label}: ${message}` : message, href: `#${fieldId(field)}` });
  }
  const summary =
    error || items.length > 0 ? (
      <ErrorSummary heading={t('hosted:errorSummaryTitle')} message={error ? t(`hosted:form.${error}`) : undefined} items={items} />
    ) : undefined;
  return (
    <HostedFrame
      locale={tr.locale}
      language={language}
      nonce={nonce}
      text={shellText(t)}
      title={props.title}
      subtitle={clientName ? t('hosted:toContinue', { client: clientName }) : undefined}
      summary={summary}
      theme={props.data.theme}
    >
      {props.children}
    </HostedFrame>
  );
}
