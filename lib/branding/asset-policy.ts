/**
 * The policy branding assets are served under (lib/branding/assets.ts): a sandbox that runs no script
 * and loads nothing, so an SVG opened directly cannot act on Portico's origin. proxy.ts puts it in
 * place of the page policy for /branding/assets/….
 */
export const ASSET_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";
export const ASSET_PATH_PREFIX = '/branding/assets/';
