import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No component renders a literal string: every user-visible text comes from locales/ through i18next.
 * Parses each .tsx under app/ and components/ with the TypeScript compiler and reports JSX text with
 * letters, and string literals (with letters) given to user-visible attributes or to a `{…}` child.
 */
const root = path.resolve(import.meta.dirname, '../..');
const VISIBLE_ATTRIBUTES = new Set(['alt', 'title', 'aria-label', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext', 'placeholder', 'label']);
const LETTER = /\p{L}/u;

/** What is not language: `file → texts` genuinely the same in every locale. */
const ALLOW: Record<string, readonly string[]> = {
  // An HTTP method and paths, shown as code.
  'app/page.tsx': ['POST', '/healthz', '/readyz'],
};

function tsxFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsxFiles(full);
    return e.name.endsWith('.tsx') ? [full] : [];
  });
}

function literalStrings(source: string, fileName = 'x.tsx'): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (n: ts.Node) => `${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      const text = node.text.trim();
      if (LETTER.test(text)) found.push(`${where(node)}: ${text}`);
    } else if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(sf);
      const init = node.initializer;
      const literal = init && ts.isStringLiteral(init) ? init : init && ts.isJsxExpression(init) && init.expression && (ts.isStringLiteral(init.expression) || ts.isNoSubstitutionTemplateLiteral(init.expression)) ? init.expression : undefined;
      if (VISIBLE_ATTRIBUTES.has(name) && literal && LETTER.test(literal.text)) found.push(`${where(node)}: ${name}="${literal.text}"`);
    } else if (ts.isJsxExpression(node) && node.parent && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      const e = node.expression;
      if (e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) && LETTER.test(e.text)) found.push(`${where(node)}: {'${e.text}'}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('no literal user-visible strings in components', () => {
  it('finds what it should (self-check)', () => {
    expect(literalStrings('const a = <p>Hello</p>;')).toEqual(['1: Hello']);
    expect(literalStrings('const a = <img alt="Logo" />;')).toEqual(['1: alt="Logo"']);
    expect(literalStrings('const a = <input placeholder={"Name"} />;')).toEqual(['1: placeholder="Name"']);
    expect(literalStrings('const a = <p>{"Hi"}</p>;')).toEqual(["1: {'Hi'}"]);
    expect(literalStrings('const a = <p className="text-sm" alt="" title={t("x")}>{t("y")}: · 1</p>;')).toEqual([]);
  });

  const files = [...tsxFiles(path.join(root, 'app')), ...tsxFiles(path.join(root, 'components'))];
  for (const file of files) {
    const rel = path.relative(root, file);
    it(`${rel} renders only translated text`, () => {
      const allowed = new Set(ALLOW[rel] ?? []);
      const found = literalStrings(fs.readFileSync(file, 'utf8'), rel).filter((f) => !allowed.has(f.replace(/^\d+: /, '')));
      expect(found).toEqual([]);
    });
  }
});
