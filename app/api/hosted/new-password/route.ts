import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleNewPassword } from '@/lib/hosted/challenges';

/** `POST /new-password` (the page's form), rewritten here by proxy.ts. */
export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/new-password', handleNewPassword);
}
