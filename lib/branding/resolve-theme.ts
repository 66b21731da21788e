import { GetUICustomizationCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Db } from '../db';
import { DEFAULT_DARK, DEFAULT_FONT, DEFAULT_LAYOUT, DEFAULT_LIGHT, DEFAULT_RADIUS, type ColourSet, type Layout } from './defaults';
import { stripUndefined, type LocalizedUrlValue, type ThemeDocument } from './theme-schema';
import { readThemes } from './theme-store';
import { sanitiseCss } from './css-sanitiser';

/**
 * The theme a hosted page is drawn in: Portico's defaults, then the pool's theme document, then the app
 * client's (key by key; colours colour by colour), plus Cognito's classic UI customization read through
 * the SDK (the one door) — its CSS mapped onto Portico's markup, its logo used when no theme has one.
 */
export interface MergedTheme {
  light: ColourSet;
  dark: ColourSet;
  font: string;
  radius: number;
  layout: Layout;
  logo?: string;
  favicon?: string;
  backgroundImage?: string;
  termsUrl?: LocalizedUrlValue;
  privacyUrl?: LocalizedUrlValue;
  customCss?: string;
}

export interface ResolvedTheme extends MergedTheme {
  /** Sanitised, scoped CSS blocks in order: Cognito's, then the theme's custom CSS. */
  css: string[];
}

export function mergeThemes(pool: ThemeDocument | undefined, client: ThemeDocument | undefined): MergedTheme {
  const layers = [pool, client].filter((d): d is ThemeDocument => d !== undefined);
  const merged: MergedTheme = { light: { ...DEFAULT_LIGHT }, dark: { ...DEFAULT_DARK }, font: DEFAULT_FONT, radius: DEFAULT_RADIUS, layout: DEFAULT_LAYOUT };
  for (const doc of layers) {
    Object.assign(merged.light, stripUndefined(doc.colors?.light ?? {}));
    Object.assign(merged.dark, stripUndefined(doc.colors?.dark ?? {}));
    if (doc.fontFamily !== undefined) merged.font = doc.fontFamily;
    if (doc.cornerRadius !== undefined) merged.radius = doc.cornerRadius;
    if (doc.layout !== undefined) merged.layout = doc.layout;
    for (const key of ['logo', 'favicon', 'backgroundImage', 'termsUrl', 'privacyUrl', 'customCss'] as const) {
      if (doc[key] !== undefined) (merged as unknown as Record<string, unknown>)[key] = doc[key];
    }
  }
  return merged;
}

interface CognitoBranding {
  css?: string;
  logo?: string;
}

const COGNITO_TTL_MS = 2000;
const CACHE_KEY = '__porticoUiCustomizationCache';
type Holder = { [CACHE_KEY]?: Map<string, { at: number; value: CognitoBranding }> };

/** Same-origin path of Portico's own asset URL; another origin's image (a real Cognito pool's CDN) is not used, the page's CSP would block it. */
function ownAssetPath(url: string | undefined, publicUrl: string): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, publicUrl);
    return /^\/branding\/assets\//.test(u.pathname) ? u.pathname : undefined;
  } catch {
    return undefined;
  }
}

async function cognitoBranding(cognito: CognitoIdentityProviderClient, poolId: string, clientId: string | undefined, publicUrl: string, now: number): Promise<CognitoBranding> {
  const cache = ((globalThis as Holder)[CACHE_KEY] ??= new Map());
  const key = `${poolId}|${clientId ?? 'ALL'}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < COGNITO_TTL_MS) return hit.value;
  let value: CognitoBranding = {};
  try {
    const { UICustomization: ui } = await cognito.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }));
    value = { css: ui?.CSS || undefined, logo: ownAssetPath(ui?.ImageUrl, publicUrl) };
  } catch {
    // No customization, no permission, or the pool is away: the page is drawn in Portico's theme.
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, { at: now, value });
  return value;
}

export interface ThemeSources {
  db: Db;
  cognito: CognitoIdentityProviderClient;
  publicUrl: string;
  now: number;
}

export async function resolveTheme(src: ThemeSources, poolId: string, clientId: string | undefined): Promise<ResolvedTheme> {
  const [{ pool, client }, cognito] = await Promise.all([readThemes(src.db, poolId, clientId), cognitoBranding(src.cognito, poolId, clientId, src.publicUrl, src.now)]);
  return withCss(mergeThemes(pool, client), cognito);
}

export function withCss(merged: MergedTheme, cognito: CognitoBranding = {}): ResolvedTheme {
  const css: string[] = [];
  for (const [text, dialect] of [[cognito.css, 'cognito'], [merged.customCss, 'portico']] as const) {
    if (!text) continue;
    const r = sanitiseCss(text, dialect);
    if (r.ok) css.push(r.css);
  }
  return { ...merged, logo: merged.logo ?? cognito.logo, css };
}
