import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleSignUp } from '@/lib/hosted/signup/sign-up';

/** `POST /signup` (the page's form), rewritten here by proxy.ts. */
export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/signup', handleSignUp);
}
