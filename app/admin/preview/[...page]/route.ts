import type { NextRequest } from 'next/server';
import { previewRoute } from '@/lib/branding/preview/next-route';

/** One hosted page in the admin preview (lib/branding/preview); a submitted sample form comes back here. */
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ page: string[] }> };

export async function GET(req: NextRequest, { params }: Params): Promise<Response> {
  return previewRoute(req, (await params).page);
}

export async function POST(req: NextRequest, { params }: Params): Promise<Response> {
  return previewRoute(req, (await params).page);
}
