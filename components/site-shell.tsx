import type { ReactNode } from 'react';
import { locales, localeNames, type Locale } from '@/lib/i18n/locales';

/**
 * Page frame shared by Portico's own pages: skip link, header with language switcher, footer.
 * Pages whose query string matters (an OAuth request) pass `languageHref` so switching keeps it.
 */
export function SiteShell(props: {
  locale: Locale;
  languageHref?: (locale: Locale) => string;
  appName: string;
  skipToContent: string;
  languageLabel: string;
  footer: string;
  children: ReactNode;
}) {
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:bg-white focus:p-2">
        {props.skipToContent}
      </a>
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-4 px-4 py-3">
          <a href="/" className="text-lg font-semibold text-stone-900 no-underline">
            {props.appName}
          </a>
          <nav aria-label={props.languageLabel}>
            <ul className="flex gap-3 text-sm">
              {locales.map((l) => (
                <li key={l}>
                  <a href={props.languageHref ? props.languageHref(l) : `?lang=${l}`} lang={l} hrefLang={l} aria-current={l === props.locale ? 'true' : undefined}
                    className={l === props.locale ? 'font-semibold text-stone-900' : undefined}>
                    {localeNames[l]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-3xl px-4 py-10">
        {props.children}
      </main>
      <footer className="mx-auto max-w-3xl px-4 pb-10 text-sm text-stone-500">{props.footer}</footer>
    </>
  );
}
