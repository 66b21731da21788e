import type { ReactNode } from 'react';
import { SiteShell } from '@/components/site-shell';
import type { Locale } from '@/lib/i18n/locales';
import type { LanguageForm } from '@/lib/i18n/language-form';
import type { ShellText } from '@/lib/i18n/shell-text';
import type { PageTheme } from '@/lib/branding/page-theme';
import { ThemeStyle } from '@/components/branding/theme-style';
import { LegalLinks } from '@/components/branding/legal-links';

/**
 * The frame of every sign-in page: Portico's shell (skip link, language picker that keeps the
 * transaction) and a card with the step's heading, the app being signed in to, and the error summary.
 */
export type FrameText = ShellText;

export function HostedFrame(props: {
  locale: Locale;
  text: FrameText;
  language?: LanguageForm;
  nonce?: string;
  title: string;
  subtitle?: string;
  summary?: ReactNode;
  /** The pool's or client's theme (lib/branding); Portico's defaults from app/globals.css without one. */
  theme?: PageTheme;
  children: ReactNode;
}) {
  const theme = props.theme;
  // The container and the `*-customizable` classes are what theme CSS and Cognito CSS are scoped to.
  return (
    <div className="portico-hosted background-customizable" data-layout={theme?.layout ?? 'centered'}>
      {theme ? <ThemeStyle theme={theme} nonce={props.nonce} /> : null}
      <SiteShell locale={props.locale} language={props.language} nonce={props.nonce} {...props.text}>
        <div className="portico-card mx-auto max-w-md rounded-lg border border-stone-200 bg-white p-6 shadow-sm sm:p-8">
          {theme?.logo ? <img className="portico-logo logo-customizable" src={theme.logo} alt="" /> : null}
          <h1 className="text-2xl font-bold tracking-tight">{props.title}</h1>
          {props.subtitle ? <p className="portico-subtitle textDescription-customizable mt-1 text-stone-600">{props.subtitle}</p> : null}
          {props.summary ? <div className="mt-4">{props.summary}</div> : null}
          <div className="mt-6">{props.children}</div>
        </div>
        {theme ? <LegalLinks termsUrl={theme.termsUrl} privacyUrl={theme.privacyUrl} {...theme.legal} /> : null}
      </SiteShell>
    </div>
  );
}

/**
 * The error summary: announced (role="alert") and focused on arrival — `autofocus` works without
 * JavaScript, and a focusable div (tabindex -1) keeps it out of the tab order.
 */
export const ERROR_SUMMARY_ID = 'error-summary';

export interface SummaryItem {
  message: string;
  /** The field the message is about (`#id`), linked so keyboard users reach it in one step. */
  href?: string;
}

export function ErrorSummary(props: { heading: string; message?: string; items?: readonly SummaryItem[] }) {
  const items = props.items ?? [];
  return (
    <div
      id={ERROR_SUMMARY_ID}
      role="alert"
      tabIndex={-1}
      autoFocus
      className="errorMessage-customizable rounded-md border border-red-300 bg-red-50 p-3 text-red-900 focus:outline-2 focus:outline-offset-2 focus:outline-red-700"
    >
      <h2 className="font-semibold">{props.heading}</h2>
      {props.message ? <p className="mt-1">{props.message}</p> : null}
      {items.length > 0 ? (
        <ul className="mt-1 list-disc ps-5">
          {items.map((item, i) => (
            <li key={i}>{item.href ? <a className="underline" href={item.href}>{item.message}</a> : item.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
