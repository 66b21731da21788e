import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { handleConfirmForgotPassword } from '@/lib/hosted/recovery/confirm-forgot-password';

/** `POST /confirmforgotPassword` (code + new password, or "send a new code"), rewritten here by proxy.ts. */
export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  return hostedRoute(req, '/confirmforgotPassword', handleConfirmForgotPassword);
}
