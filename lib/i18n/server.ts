import { cookies, headers } from 'next/headers';
import { LOCALE_COOKIE, isLocale, negotiateLocale, type Locale } from './locales';
import { translator, type Translator } from './translate';
import type { Namespace } from './resources';
import { LOCALE_HEADER } from '../security/markers';

/**
 * The request's locale for server components and route handlers. The proxy has already negotiated it
 * (it alone sees the query string on every request); headers and cookie are the fallback.
 */
export async function requestLocale(): Promise<Locale> {
  const h = await headers();
  const fromProxy = h.get(LOCALE_HEADER);
  if (isLocale(fromProxy)) return fromProxy;
  const c = await cookies();
  return negotiateLocale({ cookie: c.get(LOCALE_COOKIE)?.value, acceptLanguage: h.get('accept-language') });
}

export async function serverTranslator(ns: Namespace | Namespace[] = 'common'): Promise<Translator> {
  return translator(await requestLocale(), ns);
}
