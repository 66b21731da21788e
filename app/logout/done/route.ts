import type { NextRequest } from 'next/server';
import { fromNextRequest, toNextResponse } from '@/lib/hosted/next';
import { loggedOut } from '@/lib/hosted/logout';
import { hostedRuntime } from '@/lib/hosted/runtime';

/** The "signed out" page the logout confirmation lands on. */
export const dynamic = 'force-dynamic';

export async function GET(req: NextRequest): Promise<Response> {
  return toNextResponse(await loggedOut(await hostedRuntime(), await fromNextRequest(req)));
}
