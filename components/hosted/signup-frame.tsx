import type { ReactNode } from 'react';
import { ErrorSummary, HostedFrame, type SummaryItem } from './frame';
import { fieldId } from './fields';
import type { Translator } from '@/lib/i18n/translate';
import type { LanguageForm } from '@/lib/i18n/language-form';
import { shellText } from '@/lib/i18n/shell-text';
import type { FormError } from '@/lib/hosted/form-errors';
import type { PageTheme } from '@/lib/branding/page-theme';

/**
 * The frame of the confirmation pages that live outside a sign-in transaction (a pending sign-up, the
 * emailed link's answers): like StepPage, an error summary linking each field error to its field.
 */
export function SignupFrame(props: {
  tr: Translator;
  title: string;
  clientName?: string;
  language?: LanguageForm;
  nonce?: string;
  error?: FormError;
  errors?: Record<string, FormError>;
  fieldLabels?: Record<string, string>;
  theme?: PageTheme;
  children: ReactNode;
}) {
  const { t } = props.tr;
  const items: SummaryItem[] = [];
  for (const [field, code] of Object.entries(props.errors ?? {})) {
    const message = t(`hosted:form.${code}`);
    const label = field ? props.fieldLabels?.[field] : undefined;
    items.push(field ? { message: label ? `${label}: ${message}` : message, href: `#${fieldId(field)}` } : { message });
  }
  const summary =
    props.error || items.length > 0 ? (
      <ErrorSummary heading={t('hosted:errorSummaryTitle')} message={props.error ? t(`hosted:form.${props.error}`) : undefined} items={items} />
    ) : undefined;
  return (
    <HostedFrame
      locale={props.tr.locale}
      language={props.language}
      nonce={props.nonce}
      text={shellText(t)}
      title={props.title}
      subtitle={props.clientName ? t('hosted:toContinue', { client: props.clientName }) : undefined}
      summary={summary}
      theme={props.theme}
    >
      {props.children}
    </HostedFrame>
  );
}
