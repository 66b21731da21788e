/**
 * What the language picker's `<form method="get">` needs to reload the current page in another
 * language: where to submit (the page's path; none = the current URL) and the page's other query
 * parameters as hidden fields, so a sign-in keeps its `tx` and a failed form its `f`. The language
 * hints are left out: the picker's own `lang` is the choice, and the app's `ui_locales` would
 * otherwise outrank it in the negotiation.
 */
export interface LanguageForm {
  action?: string;
  hidden: ReadonlyArray<readonly [name: string, value: string]>;
}

const DROPPED: ReadonlySet<string> = new Set(['lang', 'ui_locales']);

export function languageForm(path: string | undefined, params: URLSearchParams | Record<string, string | undefined> = {}): LanguageForm {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  const hidden = entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '' && !DROPPED.has(e[0]));
  return { action: path, hidden };
}

/** The form for a page's own relative URL (`/account?client_id=…&ui_locales=fr`). */
export function languageFormOf(url: string): LanguageForm {
  const parsed = new URL(url, 'http://portico.invalid');
  return languageForm(parsed.pathname, parsed.searchParams);
}
