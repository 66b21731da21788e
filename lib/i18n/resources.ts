import type { Locale } from './locales';
import enCommon from '../../locales/en/common.json';
import enHome from '../../locales/en/home.json';
import enErrors from '../../locales/en/errors.json';
import enAdmin from '../../locales/en/admin.json';
import enLogout from '../../locales/en/logout.json';
import enDemo from '../../locales/en/demo.json';
import enHosted from '../../locales/en/hosted.json';
import esCommon from '../../locales/es/common.json';
import esHome from '../../locales/es/home.json';
import esErrors from '../../locales/es/errors.json';
import esAdmin from '../../locales/es/admin.json';
import esLogout from '../../locales/es/logout.json';
import esDemo from '../../locales/es/demo.json';
import esHosted from '../../locales/es/hosted.json';
import arCommon from '../../locales/ar/common.json';
import arHome from '../../locales/ar/home.json';
import arErrors from '../../locales/ar/errors.json';
import arAdmin from '../../locales/ar/admin.json';
import arLogout from '../../locales/ar/logout.json';
import arDemo from '../../locales/ar/demo.json';
import arHosted from '../../locales/ar/hosted.json';
import enSignup from '../../locales/en/signup.json';
import enRecovery from '../../locales/en/recovery.json';
import enAccount from '../../locales/en/account.json';
import enMessages from '../../locales/en/messages.json';
import esSignup from '../../locales/es/signup.json';
import esRecovery from '../../locales/es/recovery.json';
import esAccount from '../../locales/es/account.json';
import esMessages from '../../locales/es/messages.json';
import arSignup from '../../locales/ar/signup.json';
import arRecovery from '../../locales/ar/recovery.json';
import arAccount from '../../locales/ar/account.json';
import arMessages from '../../locales/ar/messages.json';

/**
 * Every translation file, imported statically so each bundle (proxy, pages, route handlers) carries them
 * without reading the file system at run time. A unit test fails when a file under locales/ is missing
 * here, or when locales disagree on their keys.
 */
const en = { common: enCommon, home: enHome, errors: enErrors, admin: enAdmin, logout: enLogout, demo: enDemo, hosted: enHosted, signup: enSignup, recovery: enRecovery, account: enAccount, messages: enMessages };
export type Namespace = keyof typeof en;
type Resources = Record<Locale, Record<Namespace, Record<string, unknown>>>;

export const resources: Resources = {
  en,
  es: { common: esCommon, home: esHome, errors: esErrors, admin: esAdmin, logout: esLogout, demo: esDemo, hosted: esHosted, signup: esSignup, recovery: esRecovery, account: esAccount, messages: esMessages },
  ar: { common: arCommon, home: arHome, errors: arErrors, admin: arAdmin, logout: arLogout, demo: arDemo, hosted: arHosted, signup: arSignup, recovery: arRecovery, account: arAccount, messages: arMessages },
};

export const namespaces = Object.keys(en) as Namespace[];
