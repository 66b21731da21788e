import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { contrastRatio } from '../../lib/branding/contrast';
import { DEFAULT_DARK, DEFAULT_LIGHT } from '../../lib/branding/defaults';
import { contrastFailures } from '../../lib/branding/validation';
import { sanitiseCss } from '../../lib/branding/css-sanitiser';
import { ThemeDocumentSchema, themeContrastIssues } from '../../lib/branding/theme-schema';
import { mergeThemes } from '../../lib/branding/resolve-theme';
import { themeCss } from '../../lib/branding/theme-css';
import { sniffImage, unsafeSvg } from '../../lib/branding/assets';

const ASSET = `/branding/assets/${'a'.repeat(64)}.png`;

describe('contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#fff', '#fff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThan(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });

  it("Portico's default light and dark colours meet AA for every pair", () => {
    expect(contrastFailures(DEFAULT_LIGHT)).toEqual([]);
    expect(contrastFailures(DEFAULT_DARK)).toEqual([]);
  });

  it('app/globals.css declares the same defaults as lib/branding/defaults.ts', () => {
    const css = fs.readFileSync('app/globals.css', 'utf8');
    const light = /:root\s*\{([^}]*)\}/.exec(css)![1]!;
    const dark = /prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)![1]!;
    for (const [block, set] of [[light, DEFAULT_LIGHT], [dark, DEFAULT_DARK]] as const) {
      for (const [k, v] of Object.entries(set)) {
        const name = `--p-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        expect(block, name).toMatch(new RegExp(`${name}:\\s*${v};`));
      }
    }
  });

  it('refuses a theme whose colours fail AA, naming the pair', () => {
    const doc = ThemeDocumentSchema.parse({ colors: { light: { brand: '#7dd3fc', brandText: '#ffffff' } } });
    const issues = themeContrastIssues(doc);
    expect(issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^brandText on brand has contrast [\d.]+:1; WCAG 2.2 AA needs 4.5:1$/), expect.stringMatching(/^brand on surface/)]),
    );
    expect(issues.every((i) => i.path === 'colors.light')).toBe(true);
    expect(themeContrastIssues(ThemeDocumentSchema.parse({ colors: { dark: { brand: '#fbbf24', brandText: '#000000' } } }))).toEqual([]);
  });
});

describe('theme document', () => {
  it('is strict and validates each field', () => {
    expect(ThemeDocumentSchema.safeParse({ color: {} }).success).toBe(false);
    expect(ThemeDocumentSchema.safeParse({ colors: { light: { brand: 'red' } } }).success).toBe(false);
    expect(ThemeDocumentSchema.safeParse({ colors: { light: { shade: '#fff' } } }).success).toBe(false);
    expect(ThemeDocumentSchema.safeParse({ layout: 'split', cornerRadius: 12, fontFamily: '"Inter", system-ui, sans-serif' }).success).toBe(true);
    expect(ThemeDocumentSchema.safeParse({ fontFamily: 'x; background: url(https://evil.example/)' }).success).toBe(false);
    expect(ThemeDocumentSchema.safeParse({ fontFamily: "url('https://fonts.example/f.woff2')" }).success).toBe(false);
    expect(ThemeDocumentSchema.safeParse({ cornerRadius: 99 }).success).toBe(false);
    expect(ThemeDocumentSchema.safeParse({ layout: 'wide' }).success).toBe(false);
    expect(ThemeDocumentSchema.safeParse({ logo: 'https://cdn.example/logo.png' }).success).toBe(false);
    expect(ThemeDocumentSchema.safeParse({ logo: ASSET }).success).toBe(true);
    expect(ThemeDocumentSchema.safeParse({ termsUrl: 'javascript:alert(1)' }).success).toBe(false);
    expect(ThemeDocumentSchema.safeParse({ termsUrl: { default: 'https://example.com/terms', es: 'https://example.com/es/terms' } }).success).toBe(true);
    const css = ThemeDocumentSchema.safeParse({ customCss: '@import url(https://evil.example/x.css);' });
    expect(css.success).toBe(false);
    expect(css.error!.issues[0]!.path).toEqual(['customCss']);
  });

  it('merges client over pool over defaults, key by key', () => {
    const pool = ThemeDocumentSchema.parse({ colors: { light: { brand: '#0f766e' } }, layout: 'split', cornerRadius: 0, logo: ASSET });
    const client = ThemeDocumentSchema.parse({ colors: { light: { text: '#000000' } }, layout: 'plain' });
    const merged = mergeThemes(pool, client);
    expect(merged.light).toEqual({ ...DEFAULT_LIGHT, brand: '#0f766e', text: '#000000' });
    expect(merged.dark).toEqual(DEFAULT_DARK);
    expect(merged.layout).toBe('plain');
    expect(merged.radius).toBe(0);
    expect(merged.logo).toBe(ASSET);
    expect(mergeThemes(undefined, undefined).layout).toBe('centered');
  });

  it('renders the colours as custom properties, dark under prefers-color-scheme or forced', () => {
    const merged = mergeThemes(ThemeDocumentSchema.parse({ colors: { light: { brand: '#0f766e' }, dark: { brand: '#5eead4' } } }), undefined);
    const css = themeCss(merged, []);
    expect(css).toMatch(/:root\{[^}]*--p-brand:#0f766e;/);
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\)\{:root\{[^}]*--p-brand:#5eead4;/);
    const forced = themeCss(merged, [], 'dark');
    expect(forced).not.toContain('prefers-color-scheme');
    expect(forced).toMatch(/:root\{[^}]*color-scheme:dark;[^}]*--p-brand:#5eead4;/);
  });
});

describe('CSS sanitiser', () => {
  const hostile: [string, RegExp][] = [
    ['@import "https://evil.example/a.css";', /@import/],
    ['@IMPORT url(x.css);', /@import/],
    ['.a { background: url(https://evil.example/track.png) }', /url\(\) may only name/],
    [".a { background: url('//evil.example/x') }", /url\(\) may only name/],
    ['.a { background: url(data:image/svg+xml;base64,AAAA) }', /url\(\) may only name/],
    ['.a { width: expression(alert(1)) }', /expressions/],
    ['.a { background: url(javascript:alert(1)) }', /scripts|url/],
    ['.a { color: red } </style><script>alert(1)</script>', /"<"/],
    ['.a { color: red } </STYLE >', /"<"/],
    ['.a { -moz-binding: url(x.xml#xss) }', /not allowed/],
    ['.a { behavior: url(x.htc) }', /not allowed/],
    ['.a { background: \\75 rl(https://evil.example) }', /backslash/],
    ['@font-face { font-family: x; src: url(https://fonts.example/x.woff2) }', /@font-face/],
    ['.a { color: red', /does not parse|/],
    ['.a { background-image: image-set("https://evil.example/x.png" 1x) }', /image functions/],
  ];
  for (const [css, why] of hostile) {
    it(`refuses ${JSON.stringify(css).slice(0, 60)}`, () => {
      const r = sanitiseCss(css, 'portico');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.join(' ')).toMatch(why);
    });
  }

  it('scopes every rule under the hosted container and keeps Portico asset URLs', () => {
    const r = sanitiseCss(`/* hi */ body { color: #111 } h1, .card > p { margin: 0 } @media (max-width: 600px) { :root { --p-radius: 0 } } .x { background: url("${ASSET}") }`, 'portico');
    expect(r).toEqual({
      ok: true,
      css: expect.stringContaining('.portico-hosted { color: #111 }'),
    });
    if (!r.ok) return;
    expect(r.css).toContain('.portico-hosted h1, .portico-hosted .card > p');
    expect(r.css).toContain('@media (max-width: 600px) { .portico-hosted { --p-radius: 0 } }');
    expect(r.css).toContain(ASSET);
    expect(r.css).not.toContain('hi');
  });

  it('limits the size', () => {
    expect(sanitiseCss(`.a{color:red}${' '.repeat(21 * 1024)}`, 'portico').ok).toBe(false);
  });

  it("accepts only Cognito's classes in Cognito CSS and maps them onto Portico's markup", () => {
    const ok = sanitiseCss('.submitButton-customizable { background-color: #0f766e; } .submitButton-customizable:hover { opacity: .9 } .inputField-customizable:focus { border-color: #000 }', 'cognito');
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.css).toContain('.portico-hosted .submitButton-customizable, .portico-hosted form[method=post i] button[type=submit]');
      expect(ok.css).toContain('.portico-hosted form[method=post i] button[type=submit]:hover');
    }
    expect(sanitiseCss('.card { color: red }', 'cognito').ok).toBe(false);
    expect(sanitiseCss('.label-customizable:hover { color: red }', 'cognito').ok).toBe(false);
    expect(sanitiseCss('@media (min-width: 1px) { .label-customizable { color: red } }', 'cognito').ok).toBe(false);
  });
});

describe('images', () => {
  it('knows types by their bytes and refuses active SVG', () => {
    expect(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffImage(Buffer.from('ffd8ffe000', 'hex'))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    expect(sniffImage(Buffer.from('GIF89a'))).toBeUndefined();
    expect(unsafeSvg(Buffer.from('<svg><script>alert(1)</script></svg>'))).toMatch(/scripts/);
    expect(unsafeSvg(Buffer.from('<svg onload="alert(1)"/>'))).toMatch(/event handlers/);
    expect(unsafeSvg(Buffer.from('<svg><image href="https://evil.example/x.png"/></svg>'))).toMatch(/reference/);
    expect(unsafeSvg(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><circle r="4" fill="#0f766e"/></svg>'))).toBeUndefined();
  });
});
