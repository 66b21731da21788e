import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleAccountSignIn } from '@/lib/hosted/account/start-signin';

/** `GET /account/signin`: starts the account sign-in (a route handler: it may set the browser cookie). */
export const dynamic = 'force-dynamic';

export async function GET(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/account/signin', handleAccountSignIn, { internal: false });
}
