import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/project-root';
import { locales, type Locale } from './locales';

export type Namespace = 'common' | 'home' | 'errors' | 'admin' | 'logout' | 'demo' | 'hosted' | 'signup' | 'recovery' | 'account' | 'messages';
export type Resources = Record<Locale, Record<Namespace, Record<string, unknown>>>;

/** One file per namespace in every locale (a unit test checks the directories hold exactly these). */
export const namespaces: readonly Namespace[] = [
  'account', 'admin', 'common', 'demo', 'errors', 'home', 'hosted', 'logout', 'messages', 'recovery', 'signup',
];

/**
 * Every translation, read from `locales/<lng>/<ns>.json` the first time one is needed, once per process:
 * kept on globalThis, since Next loads this module in several bundles and the custom server in its own.
 *
 * They used to be imported statically, so each bundle carried them: seven copies in one server process
 * (six Next chunks and the custom server's bundle). V8 keeps a script's source text for as long as its
 * functions live, and the locales' text (~580 K characters, most of it outside Latin-1) made every such
 * script a two-byte string. The heap kept after a full collection was ~96 MB with them and is ~80 MB
 * without (heap snapshots, --trace-gc-nvp); what it keeps counts against the heap limit and so brings the
 * next full collection closer (README, "ninth machine"). Read as data, they exist once. A missing or
 * unreadable file stops the first translation with its path.
 */
const KEY = '__porticoResources';
type Holder = { [KEY]?: Resources };

function readNamespace(dir: string, locale: Locale, ns: Namespace): Record<string, unknown> {
  const file = path.join(dir, locale, `${ns}.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Portico's translations are missing: cannot read ${file}`);
  }
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`Portico's translations are damaged: ${file} is not a JSON object`);
  return value as Record<string, unknown>;
}

export function resources(): Resources {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const dir = path.join(projectRoot(), 'locales');
    const all = {} as Resources;
    for (const locale of locales) {
      const byNs = {} as Record<Namespace, Record<string, unknown>>;
      for (const ns of namespaces) byNs[ns] = readNamespace(dir, locale, ns);
      all[locale] = byNs;
    }
    holder[KEY] = all;
  }
  return holder[KEY];
}
