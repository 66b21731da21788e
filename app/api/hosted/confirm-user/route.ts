import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleConfirmUser } from '@/lib/hosted/signup/confirm';

/**
 * `POST /confirmUser` (the page's forms) and `GET /confirmUser?…&confirmation_code=…` (the emailed link,
 * which confirms on GET as Cognito's does), both rewritten here by proxy.ts.
 */
export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/confirmUser', handleConfirmUser);
}

export async function GET(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/confirmUser', handleConfirmUser);
}
