import postcss, { type AtRule, type ChildNode, type Container, type Declaration, type Rule } from 'postcss';

/**
 * Custom CSS for the hosted pages: parsed (postcss), checked declaration by declaration, and every rule
 * scoped under the hosted page's container, so a theme can restyle the sign-in card but cannot reach
 * outside it, load anything from elsewhere, or end the <style> element it is emitted in.
 *
 * Two dialects:
 * - `portico`: any selector (scoped), `@media` and `@supports` only; url() only to Portico's own assets.
 * - `cognito`: Cognito's classic branding (SetUICustomization) — only Cognito's `*-customizable` classes
 *   (with the pseudo-classes Cognito allows) and no at-rules at all. Each class is mapped onto the
 *   matching elements of Portico's markup, so a CSS file written for Cognito works unchanged.
 */
export const SCOPE = '.portico-hosted';
export const ASSET_PATH = /^\/branding\/assets\/[0-9a-f]{64}\.(?:png|jpg|webp|svg|ico)$/;

/** Cognito's classes and the Portico elements each one styles (besides elements that carry the class). */
export const COGNITO_CLASSES: Record<string, readonly string[]> = {
  'background-customizable': [SCOPE],
  'banner-customizable': ['header', '.portico-banner'],
  'logo-customizable': ['.portico-logo'],
  'label-customizable': ['label'],
  'inputField-customizable': ['input:not([type=hidden]):not([type=checkbox]):not([type=radio])', 'select', 'textarea'],
  'submitButton-customizable': ['form[method=post i] button[type=submit]'],
  'errorMessage-customizable': ['#error-summary', '[id$="-error"]'],
  'textDescription-customizable': ['.portico-subtitle'],
  'legalText-customizable': ['.portico-legal'],
  'idpButton-customizable': ['.portico-idp-button'],
  'socialButton-customizable': ['.portico-social-button'],
  'redirect-customizable': ['.portico-redirect'],
  'passwordCheck-valid-customizable': ['li[data-met=true]'],
  'passwordCheck-notValid-customizable': ['li[data-met=false]'],
};
const COGNITO_PSEUDO: Record<string, readonly string[]> = {
  'idpButton-customizable': ['hover'],
  'inputField-customizable': ['focus'],
  'submitButton-customizable': ['hover'],
  'socialButton-customizable': ['hover'],
};

export const MAX_CUSTOM_CSS = 20 * 1024;

export type CssDialect = 'portico' | 'cognito';
export type SanitiseResult = { ok: true; css: string } | { ok: false; errors: string[] };

const FORBIDDEN_PROPERTY = /^(?:behavior|-moz-binding|-ms-behavior)$/i;
const FORBIDDEN_VALUE = /expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:/i;

function checkUrls(value: string, errors: string[], where: string): void {
  const re = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/gi;
  let m: RegExpExecArray | null;
  let count = 0;
  while ((m = re.exec(value))) {
    count++;
    const target = m[1] ?? m[2] ?? m[3] ?? '';
    if (!ASSET_PATH.test(target)) errors.push(`${where}: url() may only name Portico's own assets (/branding/assets/…), not ${JSON.stringify(target.slice(0, 80))}`);
  }
  // A url( the pattern did not take whole (nested quotes, newlines) is refused rather than guessed at.
  const opened = (value.match(/url\s*\(/gi) ?? []).length;
  if (opened !== count) errors.push(`${where}: malformed url()`);
  if (/\b(?:image-set|image|src|element|cross-fade)\s*\(/i.test(value) && !/url\(/i.test(value)) {
    errors.push(`${where}: image functions other than url() are not allowed`);
  }
}

function checkDeclaration(decl: Declaration, errors: string[]): void {
  const where = `${decl.prop} (line ${decl.source?.start?.line ?? '?'})`;
  if (FORBIDDEN_PROPERTY.test(decl.prop)) errors.push(`${where}: the property is not allowed`);
  if (FORBIDDEN_VALUE.test(decl.value)) errors.push(`${where}: scripts and expressions are not allowed`);
  checkUrls(decl.value, errors, where);
}

/** `html`, `body` and `:root` mean the hosted page's container; anything else is looked for inside it. */
function scopeSelector(selector: string): string {
  const s = selector.trim();
  const root = /^(?::root|html|body)(?![\w-])/i.exec(s);
  if (root) return `${SCOPE}${s.slice(root[0].length)}`;
  if (s.startsWith(SCOPE) && !/^[\w-]/.test(s.slice(SCOPE.length))) return s;
  return `${SCOPE} ${s}`;
}

function cognitoSelector(selector: string, errors: string[]): string[] | undefined {
  const m = /^\.([A-Za-z-]+-customizable)(?::(hover|focus))?$/.exec(selector.trim());
  const targets = m ? COGNITO_CLASSES[m[1]!] : undefined;
  if (!m || !targets) {
    errors.push(`selector ${JSON.stringify(selector.trim().slice(0, 80))}: only Cognito's *-customizable classes are allowed`);
    return undefined;
  }
  const pseudo = m[2];
  if (pseudo && !(COGNITO_PSEUDO[m[1]!] ?? []).includes(pseudo)) {
    errors.push(`selector ${selector.trim()}: :${pseudo} is not allowed on .${m[1]}`);
    return undefined;
  }
  const suffix = pseudo ? `:${pseudo}` : '';
  const own = `${SCOPE} .${m[1]}${suffix}`;
  return [own, ...targets.map((t) => (t === SCOPE ? `${SCOPE}${suffix}` : `${SCOPE} ${t}${suffix}`))];
}

function walk(container: Container, dialect: CssDialect, errors: string[], depth: number): void {
  container.each((node: ChildNode) => {
    switch (node.type) {
      case 'comment':
        node.remove();
        return;
      case 'decl':
        // A declaration outside any rule would apply to nothing; it is refused as a mistake.
        if (container.type === 'root' || container.type === 'atrule') errors.push(`${node.prop}: declaration outside a rule`);
        else checkDeclaration(node, errors);
        return;
      case 'atrule': {
        const at = node as AtRule;
        const allowed = dialect === 'portico' && (at.name === 'media' || at.name === 'supports') && depth < 2 && at.nodes !== undefined;
        if (!allowed) {
          errors.push(`@${at.name}: not allowed${dialect === 'cognito' ? ' in Cognito CSS' : ''}`);
          return;
        }
        if (/url\(|expression|javascript:/i.test(at.params)) errors.push(`@${at.name} ${at.params.slice(0, 40)}: not allowed`);
        walk(at, dialect, errors, depth + 1);
        return;
      }
      case 'rule': {
        const rule = node as Rule;
        if (dialect === 'cognito') {
          const mapped = rule.selectors.map((s) => cognitoSelector(s, errors));
          if (mapped.every((x) => x)) rule.selectors = mapped.flat() as string[];
        } else {
          rule.selectors = rule.selectors.map(scopeSelector);
        }
        rule.each((child) => {
          if (child.type === 'decl') checkDeclaration(child, errors);
          else if (child.type === 'comment') child.remove();
          else errors.push(`line ${child.source?.start?.line ?? '?'}: nested rules are not allowed`);
        });
        return;
      }
    }
  });
}

export function sanitiseCss(source: string, dialect: CssDialect, maxBytes = dialect === 'portico' ? MAX_CUSTOM_CSS : 131072): SanitiseResult {
  if (Buffer.byteLength(source, 'utf8') > maxBytes) return { ok: false, errors: [`the CSS is larger than ${maxBytes} bytes`] };
  // Checked on the raw text, before any parsing: nothing may close the <style> element or open markup,
  // and escapes could spell a forbidden word the checks below would not see.
  if (/</.test(source)) return { ok: false, errors: ['"<" is not allowed in CSS (it could end the style element)'] };
  if (/\\/.test(source)) return { ok: false, errors: ['backslash escapes are not allowed in CSS'] };
  if (/@import/i.test(source)) return { ok: false, errors: ['@import is not allowed'] };
  let root;
  try {
    root = postcss.parse(source);
  } catch (e) {
    const err = e as { reason?: string; line?: number };
    return { ok: false, errors: [`the CSS does not parse: ${err.reason ?? 'syntax error'}${err.line ? ` (line ${err.line})` : ''}`] };
  }
  const errors: string[] = [];
  walk(root, dialect, errors, 0);
  if (errors.length > 0) return { ok: false, errors };
  const css = root.toString().trim();
  if (/</.test(css)) return { ok: false, errors: ['"<" is not allowed in CSS'] };
  return { ok: true, css };
}
