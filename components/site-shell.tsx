import type { ReactNode } from 'react';
import type { Locale } from '@/lib/i18n/locales';
import type { LanguageForm } from '@/lib/i18n/language-form';
import type { ShellText } from '@/lib/i18n/shell-text';
import { LanguagePicker } from './language-picker';

/**
 * Page frame shared by Portico's own pages: skip link, header with the language picker, footer.
 * Pages whose query string matters (an OAuth request, a failed form) pass `language` so the picker
 * keeps it; without it the picker reloads the current path with only the new language.
 */
export function SiteShell(props: ShellText & {
  locale: Locale;
  language?: LanguageForm;
  /** The page's CSP nonce: the picker then submits on change. */
  nonce?: string;
  children: ReactNode;
}) {
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:bg-white focus:p-2">
        {props.skipToContent}
      </a>
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-4 px-4 py-3">
          <a href="/" className="text-lg font-semibold text-stone-900 no-underline">
            {props.appName}
          </a>
          <LanguagePicker locale={props.locale} form={props.language} label={props.languageLabel} submit={props.changeLanguage} nonce={props.nonce} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-3xl px-4 py-10">
        {props.children}
      </main>
      <footer className="mx-auto max-w-3xl px-4 pb-10 text-sm text-stone-500">{props.footer}</footer>
    </>
  );
}
