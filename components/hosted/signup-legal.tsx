import type { ReactNode } from 'react';
import type { Translator } from '@/lib/i18n/translate';

/**
 * "By creating an account you accept the terms of use and the privacy policy", with the client's links
 * (lib/settings/client-settings); nothing when neither is set. The sentence is translated whole and the
 * links are put where its placeholders are, so word order stays the translator's.
 */
const MARK = '\u0000';

export function LegalSentence(props: { t: Translator['t']; terms?: string; privacy?: string }) {
  const { t, terms, privacy } = props;
  if (!terms && !privacy) return null;
  const key = terms && privacy ? 'signup:legal.both' : terms ? 'signup:legal.termsOnly' : 'signup:legal.privacyOnly';
  const text = t(key, { terms: `${MARK}terms${MARK}`, privacy: `${MARK}privacy${MARK}`, interpolation: { escapeValue: false } });
  const parts: ReactNode[] = text.split(MARK).map((part, i) => {
    if (i % 2 === 0) return part;
    const href = part === 'terms' ? terms : privacy;
    return (
      <a key={part} className="text-brand underline" href={href} target="_blank" rel="noopener noreferrer">
        {t(`signup:legal.${part}`)}
      </a>
    );
  });
  return <p className="text-sm text-stone-700">{parts}</p>;
}
