import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleMfaSetup } from '@/lib/hosted/challenges';

/** `POST /mfa/setup` (the page's form), rewritten here by proxy.ts. */
export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/mfa/setup', handleMfaSetup);
}
