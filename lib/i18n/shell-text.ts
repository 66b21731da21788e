import type { TFunction } from 'i18next';

/** The texts of the page frame every Portico page shares (components/site-shell.tsx). */
export interface ShellText {
  appName: string;
  skipToContent: string;
  languageLabel: string;
  changeLanguage: string;
  footer: string;
}

export function shellText(t: TFunction): ShellText {
  return {
    appName: t('common:appName'),
    skipToContent: t('common:skipToContent'),
    languageLabel: t('common:languageLabel'),
    changeLanguage: t('common:changeLanguage'),
    footer: t('common:footer'),
  };
}
