import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleAuthorize } from '@/lib/hosted/authorize';

/** `GET /login` with the authorize parameters (no `?tx=` yet): proxy.ts rewrites it here. */
export const dynamic = 'force-dynamic';

export async function GET(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/login', handleAuthorize);
}
