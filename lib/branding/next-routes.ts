import type { NextRequest } from 'next/server';
import { hostedRuntime } from '../hosted/runtime';
import { toNextResponse } from '../hosted/next';
import { readBodyLimited } from '../security/read-body';
import { themeEndpoint, MAX_THEME_REQUEST } from './admin-api';
import { assetHeaders, readAsset } from './assets';
import type { ThemeScope } from './theme-store';

/**
 * Route glue for branding (app/admin/themes/…, app/branding/assets/…). The theme API reads bodies up
 * to its own limit (images travel as data: URLs), larger than the hosted forms' 64 KB.
 */
export async function themeRoute(req: NextRequest, scope: ThemeScope, subject: string): Promise<Response> {
  const method = req.method.toUpperCase();
  const body = method === 'PUT' ? await readBodyLimited(req, MAX_THEME_REQUEST) : '';
  const rt = await hostedRuntime();
  return toNextResponse(await themeEndpoint(rt, { method, url: new URL(req.url), headers: new Headers(req.headers), body, cookies: {} }, scope, subject));
}

export async function assetRoute(file: string): Promise<Response> {
  const rt = await hostedRuntime();
  const asset = await readAsset(rt.db, file);
  if (!asset) return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  return new Response(new Uint8Array(asset.bytes), { status: 200, headers: assetHeaders(asset.type, asset.bytes.length) });
}
