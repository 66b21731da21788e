import { renderToStaticMarkup } from 'react-dom/server';
import { HostedDocument } from '@/components/hosted/document';
import { LoginStep } from '@/components/hosted/login-form';
import type { StepPageData } from './step-page';

/**
 * The sign-in page (`GET /login?tx=…`) as one HTML string: the same components as the App Router page,
 * rendered to static markup. No client runtime: the form works without JavaScript, and the only script
 * is the form's nonce'd double-submit guard. The error summary takes focus through `autofocus`.
 */
export interface PageAssets {
  /** Stylesheet URLs, in order. */
  stylesheets: readonly string[];
}

export function renderLoginPageDirect(data: StepPageData, assets: PageAssets): string {
  const { t, locale, dir } = data.tr;
  const markup = renderToStaticMarkup(
    <HostedDocument
      locale={locale}
      dir={dir}
      title={`${t('hosted:login.title')} · ${t('common:appName')}`}
      description={t('common:tagline')}
      stylesheets={assets.stylesheets}
      nonce={data.nonce}
      favicon={data.theme?.favicon}
    >
      <LoginStep data={data} />
    </HostedDocument>,
  );
  return `<!DOCTYPE html>${markup}`;
}

/**
 * Every visit to the sign-in form rendered the same markup through React (~0.2 ms and ~100 KB of garbage
 * per page, the largest part of a page view) but for three values: the transaction id, its CSRF token and
 * the CSP nonce. So the first view of the form — no error, nothing typed, no notice: nothing about the
 * person — is rendered once per everything else the page shows (language, text overrides, app name,
 * theme, self sign-up, the language hints in its links, stylesheets), with placeholders for those three,
 * and each visit fills them in. Pages that show anything about the person are rendered as before.
 * test/unit/login-page-cache.test.ts checks that a filled template equals the direct render.
 */
const TX = 'PorticoTxPlaceholder0q';
const CSRF = 'PorticoCsrfPlaceholder0q';
const NONCE = 'PorticoNoncePlaceholder0q';
/** What the three values are made of (base64url ids and tokens, a base64 nonce): nothing to escape in HTML or a URL query. */
const SAFE = /^[A-Za-z0-9_+/=-]+$/;
const PATHS = ['/forgotPassword', '/signup', '/confirmUser'] as const;

const spellsPlaceholder = (text: string) => text.includes(TX) || text.includes(CSRF) || text.includes(NONCE);

/**
 * A template split at its placeholders: `parts` around them, `slots` saying which value goes between
 * parts[i] and parts[i + 1] (0 the transaction id, 1 the CSRF token, 2 the nonce). Filling it is one pass
 * of concatenation; three replaceAll passes left two page-sized strings of garbage per view.
 */
interface Template {
  parts: string[];
  slots: number[];
}
const PLACEHOLDERS = [TX, CSRF, NONCE];
const PLACEHOLDER = new RegExp(PLACEHOLDERS.join('|'), 'g');

function split(html: string): Template {
  const parts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (const m of html.matchAll(PLACEHOLDER)) {
    parts.push(html.slice(from, m.index));
    slots.push(PLACEHOLDERS.indexOf(m[0]));
    from = m.index + m[0].length;
  }
  parts.push(html.slice(from));
  return { parts, slots };
}

function fill(template: Template, values: readonly string[]): string {
  let out = template.parts[0]!;
  for (let i = 0; i < template.slots.length; i++) out += values[template.slots[i]!]! + template.parts[i + 1]!;
  return out;
}

const templates = new Map<string, Template>();
const MAX_TEMPLATES = 256;

/** The page as it would be for the placeholders, and the key of everything else it shows; none when it shows the person's own state. */
function asTemplate(data: StepPageData, assets: PageAssets): { key: string; data: StepPageData } | undefined {
  const { tx, nonce, csrf } = data;
  if (data.error || tx.state.typedUsername || tx.state.notice) return undefined;
  if (Object.keys(data.flash.values).length > 0 || Object.keys(data.flash.errors).length > 0) return undefined;
  if (!nonce || !SAFE.test(nonce) || !SAFE.test(csrf) || !SAFE.test(tx.id) || tx.id.length < 16) return undefined;
  const rawLinks = PATHS.map((path) => data.pageHref(path));
  // A language hint is the visitor's own text: one that spells a placeholder would be filled in.
  if ([data.action, ...rawLinks, ...data.language.hidden.map(([, v]) => v)].some(spellsPlaceholder)) return undefined;
  const hide = (text: string) => text.replaceAll(tx.id, TX);
  const action = hide(data.action);
  const language = { action: data.language.action, hidden: data.language.hidden.map(([k, v]) => [k, hide(v)] as const) };
  const links = rawLinks.map(hide);
  const shown = JSON.stringify([
    data.tr.locale,
    data.tr.dir,
    data.tr.ns ?? null,
    data.tr.variant ?? null,
    data.clientName ?? null,
    data.selfSignUp,
    data.theme ?? null,
    assets.stylesheets,
  ]);
  // Nor may the app's name, theme or text overrides (an administrator's) spell one.
  if (spellsPlaceholder(shown)) return undefined;
  const key = `${shown}${JSON.stringify([action, language, links])}`;
  const template: StepPageData = {
    ...data,
    tx: { ...tx, id: TX },
    csrf: CSRF,
    nonce: NONCE,
    action,
    language,
    pageHref: (path, extra) => hide(data.pageHref(path, extra)),
  };
  return { key, data: template };
}

export function renderLoginPage(data: StepPageData, assets: PageAssets): string {
  const plan = asTemplate(data, assets);
  if (!plan) return renderLoginPageDirect(data, assets);
  let template = templates.get(plan.key);
  if (template === undefined) {
    template = split(renderLoginPageDirect(plan.data, assets));
    if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value!);
    templates.set(plan.key, template);
  }
  return fill(template, [data.tx.id, data.csrf, data.nonce!]);
}
