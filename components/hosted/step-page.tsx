import type { ReactNode } from 'react';
import { ErrorSummary, HostedFrame } from './frame';
import type { StepPageData } from '@/lib/hosted/step-page';

/** A step page: the frame filled from the step's data (translations, error summary, language links). */
export function StepPage(props: { data: StepPageData; title: string; children: ReactNode }) {
  const { tr, error, clientName, languageHref } = props.data;
  const { t } = tr;
  return (
    <HostedFrame
      locale={tr.locale}
      languageHref={languageHref}
      text={{ appName: t('common:appName'), skipToContent: t('common:skipToContent'), languageLabel: t('common:languageLabel'), footer: t('common:footer') }}
      title={props.title}
      subtitle={clientName ? t('hosted:toContinue', { client: clientName }) : undefined}
      summary={error ? <ErrorSummary heading={t('hosted:errorSummaryTitle')} message={t(`hosted:form.${error}`)} /> : undefined}
    >
      {props.children}
    </HostedFrame>
  );
}
