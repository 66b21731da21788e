import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleAuthorize } from '@/lib/hosted/authorize';

/** The authorization endpoint, GET and POST (lib/hosted/authorize.ts). */
export const dynamic = 'force-dynamic';

async function handle(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/oauth2/authorize', handleAuthorize, { internal: false });
}

export { handle as GET, handle as POST };
