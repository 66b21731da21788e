import type { NextRequest } from 'next/server';
import { hostedRuntime } from '@/lib/hosted/runtime';
import { fromNextRequest, toNextResponse } from '@/lib/hosted/next';
import { handleToken } from '@/lib/oauth/token';

export const dynamic = 'force-dynamic';

/** POST /oauth2/token; other methods get 405 and OPTIONS the CORS preflight (lib/oauth/token). */
async function handle(req: NextRequest): Promise<Response> {
  return toNextResponse(await handleToken(await hostedRuntime(), await fromNextRequest(req)));
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as OPTIONS };
