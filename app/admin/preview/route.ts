import type { NextRequest } from 'next/server';
import { previewRoute } from '@/lib/branding/preview/next-route';

/** The admin preview's index (lib/branding/preview). */
export const dynamic = 'force-dynamic';

export function GET(req: NextRequest): Promise<Response> {
  return previewRoute(req, undefined);
}
