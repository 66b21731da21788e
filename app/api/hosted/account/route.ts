import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleAccountPost } from '@/lib/hosted/account/actions';

/** `POST /account` (the account page's forms), rewritten here by proxy.ts. */
export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/account', handleAccountPost);
}
