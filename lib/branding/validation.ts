import { AA_TEXT, AA_UI, contrastRatio } from './contrast';
import type { ColourKey, ColourSet } from './defaults';

/**
 * The colour pairs a hosted page draws one on the other, and the WCAG 2.2 AA ratio each needs: text
 * on the page and the card (1.4.3), the button label on the brand colour, links and errors on the card,
 * and input borders and the focus ring against what surrounds them (1.4.11, 3:1).
 */
export const CONTRAST_PAIRS: ReadonlyArray<{ fg: ColourKey; bg: ColourKey; min: number }> = [
  { fg: 'text', bg: 'background', min: AA_TEXT },
  { fg: 'text', bg: 'surface', min: AA_TEXT },
  { fg: 'mutedText', bg: 'surface', min: AA_TEXT },
  { fg: 'mutedText', bg: 'background', min: AA_TEXT },
  { fg: 'brandText', bg: 'brand', min: AA_TEXT },
  { fg: 'brand', bg: 'surface', min: AA_TEXT },
  { fg: 'brand', bg: 'background', min: AA_UI },
  { fg: 'error', bg: 'surface', min: AA_TEXT },
  { fg: 'border', bg: 'surface', min: AA_UI },
];

export interface ContrastFailure {
  fg: ColourKey;
  bg: ColourKey;
  ratio: number;
  min: number;
}

export function contrastFailures(set: ColourSet): ContrastFailure[] {
  const out: ContrastFailure[] = [];
  for (const { fg, bg, min } of CONTRAST_PAIRS) {
    const ratio = contrastRatio(set[fg], set[bg]);
    if (ratio < min) out.push({ fg, bg, ratio: Math.round(ratio * 100) / 100, min });
  }
  return out;
}
