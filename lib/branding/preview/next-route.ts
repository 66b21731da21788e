import type { NextRequest } from 'next/server';
import { hostedRuntime } from '../../hosted/runtime';
import { fromNextRequest, toNextResponse } from '../../hosted/next';
import { publishedPageAssets } from '../../server/page-assets';
import { previewEndpoint } from './endpoint';

/** Route glue for app/admin/preview (the index) and app/admin/preview/[...page]. */
export async function previewRoute(req: NextRequest, segments: string[] | undefined): Promise<Response> {
  const rt = await hostedRuntime();
  const page = segments && segments.length > 0 ? segments.join('/') : undefined;
  return toNextResponse(await previewEndpoint(rt, await fromNextRequest(req), page, publishedPageAssets().stylesheets));
}
