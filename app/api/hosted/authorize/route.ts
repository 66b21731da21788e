import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleAuthorize } from '@/lib/hosted/authorize';
import { ENTRY_HEADER, entryPathOf } from '@/lib/hosted/routes';

/**
 * `GET /login`, `/signup` or `/forgotPassword` with the authorize parameters (no `?tx=` yet): proxy.ts
 * rewrites it here and names the page it came in on, where the new transaction starts.
 */
export const dynamic = 'force-dynamic';

export async function GET(req: NextRequest): Promise<Response> {
  return hostedRoute(req, entryPathOf(req.headers.get(ENTRY_HEADER)), handleAuthorize);
}
