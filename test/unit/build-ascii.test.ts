import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { asciiOnly, isAscii } from '../../scripts/build-state.mjs';

/** The server bundle's post-pass (scripts/build-state.mjs): ASCII out, the same program in. */
describe('asciiOnly', () => {
  const source = [
    '// — a comment with a dash, § and … (what esbuild leaves)',
    '/* depth − 1 */ const s = "São Paulo · 16–128";',
    'const t = `${s} — 😀`;',
    'const r = /^[α-ω]+…$/u.test("αβγ…");',
    '[s, t, r]',
  ].join('\n');

  it('leaves nothing outside ASCII', () => {
    expect(isAscii(source)).toBe(false);
    expect(isAscii(asciiOnly(source))).toBe(true);
  });

  it('changes no string, template or regular expression', () => {
    const run = (code: string) => vm.runInNewContext(code) as unknown[];
    expect(run(asciiOnly(source))).toEqual(run(source));
    expect(run(source)).toEqual(['São Paulo · 16–128', 'São Paulo · 16–128 — 😀', true]);
  });

  it('returns ASCII text as it is', () => {
    expect(asciiOnly('const a = "x"; // y')).toBe('const a = "x"; // y');
  });
});
