import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleForgotPassword } from '@/lib/hosted/recovery/forgot-password';

/** `POST /forgotPassword` (the page's form), rewritten here by proxy.ts. */
export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/forgotPassword', handleForgotPassword);
}
