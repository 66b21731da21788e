/**
 * Portico's own theme: the colours every hosted page has when no pool or client theme says otherwise.
 * app/globals.css repeats them as CSS custom properties (a unit test keeps the two equal), so pages
 * without a theme style tag look the same. Every text pair meets WCAG 2.2 AA (4.5:1) and input borders
 * meet 3:1 in both schemes — theme-validation.test.ts checks that with the same rules custom themes get.
 */
export const COLOUR_KEYS = ['brand', 'brandText', 'background', 'surface', 'text', 'mutedText', 'border', 'error'] as const;
export type ColourKey = (typeof COLOUR_KEYS)[number];
export type ColourSet = Record<ColourKey, string>;

export const LAYOUTS = ['centered', 'split', 'plain'] as const;
export type Layout = (typeof LAYOUTS)[number];

export const DEFAULT_LIGHT: ColourSet = {
  brand: '#1d4ed8',
  brandText: '#ffffff',
  background: '#fafaf9',
  surface: '#ffffff',
  text: '#1c1917',
  mutedText: '#57534e',
  border: '#78716c',
  error: '#b91c1c',
};

export const DEFAULT_DARK: ColourSet = {
  brand: '#93c5fd',
  brandText: '#0c0a09',
  background: '#0c0a09',
  surface: '#1c1917',
  text: '#f5f5f4',
  mutedText: '#a8a29e',
  border: '#8a837e',
  error: '#fca5a5',
};

export const DEFAULT_FONT = 'system-ui, "DejaVu Sans", "Noto Sans", sans-serif';
export const DEFAULT_RADIUS = 6;
export const DEFAULT_LAYOUT: Layout = 'centered';
