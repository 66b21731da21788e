import type { NextRequest } from 'next/server';
import { fromNextRequest, toNextResponse } from '@/lib/hosted/next';
import { hostedRuntime } from '@/lib/hosted/runtime';
import { logoutConfirm, logoutRequest } from '@/lib/hosted/logout';

/** `/logout`: GET is Cognito's/OIDC's logout request, POST the confirmation form (lib/hosted/logout.ts). */
export const dynamic = 'force-dynamic';

export async function GET(req: NextRequest): Promise<Response> {
  return toNextResponse(await logoutRequest(await hostedRuntime(), await fromNextRequest(req)));
}

export async function POST(req: NextRequest): Promise<Response> {
  return toNextResponse(await logoutConfirm(await hostedRuntime(), await fromNextRequest(req)));
}
