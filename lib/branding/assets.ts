import { createHash } from 'node:crypto';
import type { Db } from '../db';
import { brandingDb } from './tables';
import { ASSET_CSP } from './asset-policy';

/**
 * Images for themes (logo, favicon, background) and Cognito's UI customization logo, stored in the
 * database by content hash and served from Portico at `/branding/assets/{sha256}.{ext}` — immutable, so
 * browsers may cache them for a year. The type comes from the bytes (magic numbers), never from a name
 * or a claimed content type.
 *
 * SVG is allowed for Portico themes and served with `Content-Security-Policy: sandbox; default-src
 * 'none'; style-src 'unsafe-inline'` and `nosniff`: as an <img> an SVG never runs script, and opened
 * directly its scripts, links and external loads are blocked by that policy. Files that carry script
 * or external references anyway are refused on upload (defence in depth, and a clear message).
 */
export type AssetType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/svg+xml' | 'image/x-icon';

export const EXTENSION: Record<AssetType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'image/x-icon': 'ico',
};
const BY_EXTENSION = Object.fromEntries(Object.entries(EXTENSION).map(([t, e]) => [e, t])) as Record<string, AssetType>;

export const MAX_IMAGE_BYTES = 100 * 1024;
export const ASSET_URL_PATH = /^\/branding\/assets\/([0-9a-f]{64})\.(png|jpg|webp|svg|ico)$/;

export function sniffImage(bytes: Buffer): AssetType | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x00000100) return 'image/x-icon';
  const head = bytes.subarray(0, 1024).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'image/svg+xml';
  return undefined;
}

/** Why an SVG is refused, or undefined when it draws only. */
export function unsafeSvg(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  if (/<script|<foreignObject|<iframe|<embed|<object/i.test(text)) return 'SVG images may not contain scripts or embedded documents';
  if (/\son[a-z]+\s*=/i.test(text)) return 'SVG images may not contain event handlers';
  if (/(?:href|src)\s*=\s*["']\s*(?!#|data:image\/(?:png|jpeg|webp);)/i.test(text)) return 'SVG images may not reference other files';
  if (/url\(\s*["']?\s*(?!#)/i.test(text) || /@import/i.test(text)) return 'SVG images may not reference other files';
  if (/<!ENTITY/i.test(text)) return 'SVG images may not declare entities';
  return undefined;
}

export function assetPath(hash: string, type: AssetType): string {
  return `/branding/assets/${hash}.${EXTENSION[type]}`;
}

export type StoreResult = { ok: true; path: string; type: AssetType } | { ok: false; message: string };

export interface StoreOptions {
  allowed: readonly AssetType[];
  maxBytes?: number;
}

export async function storeAsset(db: Db, bytes: Buffer, now: number, options: StoreOptions): Promise<StoreResult> {
  const max = options.maxBytes ?? MAX_IMAGE_BYTES;
  if (bytes.length === 0) return { ok: false, message: 'the image is empty' };
  if (bytes.length > max) return { ok: false, message: `the image is larger than ${Math.round(max / 1024)} KB` };
  const type = sniffImage(bytes);
  if (!type || !options.allowed.includes(type)) {
    return { ok: false, message: `the image must be ${options.allowed.map((t) => EXTENSION[t].toUpperCase()).join(', ')}` };
  }
  if (type === 'image/svg+xml') {
    const why = unsafeSvg(bytes);
    if (why) return { ok: false, message: why };
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  const bdb = brandingDb(db);
  const exists = await bdb.selectFrom('branding_assets').select('hash').where('hash', '=', hash).executeTakeFirst();
  if (!exists) {
    await bdb
      .insertInto('branding_assets')
      .values({ hash, content_type: type, data: bytes.toString('base64'), size: bytes.length, created_at: now })
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
  }
  return { ok: true, path: assetPath(hash, type), type };
}

export async function assetExists(db: Db, path: string): Promise<boolean> {
  const m = ASSET_URL_PATH.exec(path);
  if (!m) return false;
  const row = await brandingDb(db).selectFrom('branding_assets').select('content_type').where('hash', '=', m[1]!).executeTakeFirst();
  return row !== undefined && EXTENSION[row.content_type as AssetType] === m[2];
}

export async function readAsset(db: Db, file: string): Promise<{ type: AssetType; bytes: Buffer } | undefined> {
  const m = /^([0-9a-f]{64})\.(png|jpg|webp|svg|ico)$/.exec(file);
  if (!m) return undefined;
  const row = await brandingDb(db).selectFrom('branding_assets').select(['content_type', 'data']).where('hash', '=', m[1]!).executeTakeFirst();
  if (!row || BY_EXTENSION[m[2]!] !== row.content_type) return undefined;
  return { type: row.content_type as AssetType, bytes: Buffer.from(row.data, 'base64') };
}

/** Headers for an asset answer: immutable for a year, and a policy under which an SVG cannot act. */
export function assetHeaders(type: AssetType, length: number): Record<string, string> {
  return {
    'content-type': type,
    'content-length': String(length),
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    'content-security-policy': ASSET_CSP,
    'cross-origin-resource-policy': 'same-origin',
    'content-disposition': `inline; filename="asset.${EXTENSION[type]}"`,
  };
}
