import type { HttpIn } from './http';
import { LOCALE_COOKIE, isLocale, negotiateLocale, type Locale } from '../i18n/locales';
import { LOCALE_HEADER } from '../security/markers';

/**
 * The locale of a hosted request. proxy.ts negotiates it (it sees ui_locales/lang on every request) and
 * passes it in a header it alone can set; in-process tests have no proxy, so the same order is applied
 * to the request itself.
 */
export function localeOf(req: HttpIn): Locale {
  const fromProxy = req.headers.get(LOCALE_HEADER);
  if (isLocale(fromProxy)) return fromProxy;
  const q = req.url.searchParams;
  return negotiateLocale({
    uiLocales: q.get('ui_locales'),
    lang: q.get('lang'),
    cookie: req.cookies[LOCALE_COOKIE],
    acceptLanguage: req.headers.get('accept-language'),
  });
}
