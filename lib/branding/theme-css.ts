import { COLOUR_KEYS, type ColourSet } from './defaults';
import type { MergedTheme } from './resolve-theme';
import { ASSET_PATH } from './css-sanitiser';

/**
 * The theme as CSS custom properties on :root (app/globals.css maps Tailwind's colours, radius and
 * font onto them), the dark set under `prefers-color-scheme: dark`, then the sanitised custom CSS. A
 * forced scheme (the admin preview) emits that scheme's set alone. Every value was validated (hex
 * colours, integer radius, family names, asset paths), so nothing here can leave the declaration.
 */
export type Scheme = 'light' | 'dark';

export function cssVarName(key: string): string {
  return `--p-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function colours(set: ColourSet): string {
  return COLOUR_KEYS.map((k) => `${cssVarName(k)}:${set[k]};`).join('');
}

export function themeCss(theme: MergedTheme, extra: readonly string[], scheme?: Scheme): string {
  const bg = theme.backgroundImage && ASSET_PATH.test(theme.backgroundImage) ? `url("${theme.backgroundImage}")` : 'none';
  const common = `--p-font:${theme.font};--p-radius:${theme.radius}px;--p-bg-image:${bg};`;
  const parts = scheme
    ? [`:root{color-scheme:${scheme};${common}${colours(theme[scheme])}}`]
    : [`:root{color-scheme:light dark;${common}${colours(theme.light)}}`, `@media (prefers-color-scheme: dark){:root{${colours(theme.dark)}}}`];
  return [...parts, ...extra].join('\n');
}
