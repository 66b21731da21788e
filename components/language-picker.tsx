import { locales, localeNames, type Locale } from '@/lib/i18n/locales';
import type { LanguageForm } from '@/lib/i18n/language-form';

/**
 * The language picker: a GET form (a labelled select and a submit button) that reloads the page in the
 * chosen language, carrying the page's other parameters; the server remembers the choice in the `lang`
 * cookie. Each option is named in its own language and marked with its `lang`, so screen readers speak
 * it right. With JavaScript, a nonce'd script submits on change and hides the button — but a change made
 * from the keyboard (arrow keys or type-ahead on the closed list, which fire `change` at every step) only
 * reveals the button, and Enter submits, so keyboard users are not sent away on their first key press
 * (WCAG 3.2.2 On Input).
 */
export const LANGUAGE_PICKER_ID = 'language-picker';

function script(id: string): string {
  return (
    `(function(){var f=document.getElementById('${id}');if(!f)return;var b=f.querySelector('button'),s=f.querySelector('select');` +
    `if(!b||!s)return;b.hidden=true;var k=false;` +
    // The keyboard's change event fires during its keydown's default action, before this timeout.
    `s.addEventListener('keydown',function(e){if(e.key==='Enter'){e.preventDefault();f.submit();return}k=true;setTimeout(function(){k=false},0)});` +
    `s.addEventListener('change',function(){if(k){b.hidden=false;return}f.submit()})})()`
  );
}

export function LanguagePicker(props: { locale: Locale; form?: LanguageForm; label: string; submit: string; nonce?: string }) {
  const id = LANGUAGE_PICKER_ID;
  return (
    <form id={id} method="get" action={props.form?.action} className="flex items-center gap-2 text-sm">
      {(props.form?.hidden ?? []).map(([name, value], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
      ))}
      <label htmlFor={`${id}-select`} className="text-stone-700">
        {props.label}
      </label>
      <select
        id={`${id}-select`}
        name="lang"
        defaultValue={props.locale}
        className="rounded-md border border-stone-300 bg-white px-2 py-1 text-stone-900"
      >
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {localeNames[l]}
          </option>
        ))}
      </select>
      <button type="submit" className="rounded-md border border-stone-300 bg-white px-2 py-1 font-medium text-stone-900 hover:bg-stone-50">
        {props.submit}
      </button>
      {props.nonce ? <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: script(id) }} /> : null}
    </form>
  );
}
