import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { rotateKeysEndpoint } from '@/lib/hosted/admin-keys';

export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  return hostedRoute(req, req.nextUrl.pathname, rotateKeysEndpoint, { internal: false });
}
