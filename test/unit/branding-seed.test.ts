import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, parseSettings } from '../../lib/config/env';
import { parseThemesFile } from '../../lib/branding/seed';
import { scratchDirs } from '../helpers/scratch-dirs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa1d5a9a20000000049454e44ae426082', 'hex');

const scratchDir = scratchDirs('portico-themes-');

function writeFile(value: unknown): string {
  const dir = scratchDir();
  const file = path.join(dir, 'themes.json');
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('PORTICO_THEMES_FILE', () => {
  it('reads pool and client themes with the settings', () => {
    const file = writeFile({
      pools: { 'us-east-1_AbC123': { colors: { light: { brand: '#0f766e' } }, layout: 'split' } },
      clients: { '4f3kabc123': { cornerRadius: 12, logo: `data:image/png;base64,${PNG.toString('base64')}` } },
    });
    const s = parseSettings({ PORTICO_THEMES_FILE: file });
    expect(s.themes.map((t) => [t.scope, t.subject])).toEqual([
      ['pool', 'us-east-1_AbC123'],
      ['client', '4f3kabc123'],
    ]);
    expect(parseSettings({}).themes).toEqual([]);
  });

  it.each([
    [{ pools: { 'us-east-1_AbC123': { colors: { light: { brand: 'red' } } } } }, /PORTICO_THEMES_FILE: .*: pools\.us-east-1_AbC123\.colors\.light\.brand: must be a hex colour/],
    [{ pools: { 'us-east-1_AbC123': { colors: { light: { brand: '#fde68a' } } } } }, /pools\.us-east-1_AbC123\.colors\.light: brandText on brand has contrast/],
    [{ clients: { abc: { customCss: 'a { background: url(https://evil.example/x) }' } } }, /clients\.abc\.customCss: .*url\(\) may only name Portico's own assets/],
    [{ clients: { abc: { unknown: 1 } } }, /clients\.abc: Unrecognized key/],
    [{ clients: { abc: { logo: `data:image/svg+xml;base64,${Buffer.from('<svg><script>alert(1)</script></svg>').toString('base64')}` } } }, /clients\.abc\.logo: SVG images may not contain scripts/],
    [{ clients: { abc: { favicon: `data:image/png;base64,${Buffer.concat([PNG, Buffer.alloc(101 * 1024)]).toString('base64')}` } } }, /clients\.abc\.favicon: the image is larger than 100 KB/],
    [{ pools: { 'not a pool': {} } }, /pools\.not a pool: must be a user pool id/],
    [{ themes: {} }, /Unrecognized key/],
    ['{', /is not valid JSON/],
  ])('stops start-up naming the setting and where the problem is (%#)', (value, message) => {
    const file = writeFile(value);
    expect(() => parseSettings({ PORTICO_THEMES_FILE: file })).toThrow(ConfigError);
    expect(() => parseSettings({ PORTICO_THEMES_FILE: file })).toThrow(message);
  });

  it('names a file it cannot read', () => {
    expect(() => parseSettings({ PORTICO_THEMES_FILE: '/nonexistent/themes.json' })).toThrow(/PORTICO_THEMES_FILE: cannot read \/nonexistent\/themes\.json/);
  });

  it('accepts an empty file object and asset paths as the admin API returns them', () => {
    expect(parseThemesFile({})).toEqual({ themes: [] });
    const asset = `/branding/assets/${'a'.repeat(64)}.png`;
    expect(parseThemesFile({ clients: { abc: { logo: asset } } })).toEqual({ themes: [{ scope: 'client', subject: 'abc', theme: { logo: asset } }] });
  });
});
