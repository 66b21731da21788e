import type { Locale } from '@/lib/i18n/locales';
import type { LanguageForm } from '@/lib/i18n/language-form';
import type { Translator } from '@/lib/i18n/translate';
import type { PageTheme } from '@/lib/branding/page-theme';
import { shellText } from '@/lib/i18n/shell-text';
import { HostedFrame } from '@/components/hosted/frame';

/** The /error page's frame and text for a known code (the page and the admin preview). */
export function ErrorView(props: { t: Translator['t']; locale: Locale; code: string; language?: LanguageForm; nonce?: string; theme?: PageTheme }) {
  const { t, locale, code, theme } = props;
  return (
    <HostedFrame
      locale={locale}
      language={props.language}
      nonce={props.nonce}
      theme={theme}
      text={shellText(t)}
      title={t(`hosted:page.${code}.title`)}
    >
      <div role="alert" tabIndex={-1} autoFocus id="error-summary" className="space-y-3">
        <p>{t(`hosted:page.${code}.text`)}</p>
        <p>{t('hosted:page.backToApp')}</p>
      </div>
      <p className="mt-6 text-sm text-stone-500">
        {t('hosted:page.errorCode')}: <code>{code}</code>
      </p>
    </HostedFrame>
  );
}
