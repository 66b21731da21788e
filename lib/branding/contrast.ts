/**
 * WCAG 2.2 contrast (success criteria 1.4.3 and 1.4.11): relative luminance of sRGB colours and the
 * ratio between two of them. Theme colours are `#rgb` or `#rrggbb` only, so every pair can be checked
 * before a theme is stored — a colour function or a keyword could not be.
 */
export const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export function parseHex(hex: string): [number, number, number] {
  if (!HEX_COLOUR.test(hex)) throw new Error(`not a hex colour: ${hex}`);
  const h = hex.length === 4 ? hex.slice(1).replace(/./g, (c) => c + c) : hex.slice(1);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

function channel(c8: number): number {
  const c = c8 / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map(channel) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** 4.5:1 for text, 3:1 for user-interface components and graphical objects. */
export const AA_TEXT = 4.5;
export const AA_UI = 3;
