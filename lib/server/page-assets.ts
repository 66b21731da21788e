/**
 * The App Router's stylesheet URLs (./stylesheets.ts), read by the custom server at start and kept on
 * globalThis for the pages Next's route handlers draw as static markup (the admin preview): Next's
 * bundles do not share module state with the server's (stack-notes G11).
 */
export interface PageAssets {
  stylesheets: readonly string[];
}

const KEY = '__porticoPageAssets';
type Holder = { [KEY]?: PageAssets };

export function publishPageAssets(assets: PageAssets): void {
  (globalThis as Holder)[KEY] = assets;
}

/** What the server published; none when Next runs without Portico's server (the pages are then unstyled). */
export function publishedPageAssets(): PageAssets {
  return (globalThis as Holder)[KEY] ?? { stylesheets: [] };
}
