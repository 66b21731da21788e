import type { NextRequest } from 'next/server';
import { hostedRuntime } from '@/lib/hosted/runtime';
import { fromNextRequest, toNextResponse } from '@/lib/hosted/next';
import { handleRevoke } from '@/lib/oauth/revoke';

export const dynamic = 'force-dynamic';

/** POST /oauth2/revoke; other methods get 405 and OPTIONS the CORS preflight (lib/oauth/revoke). */
async function handle(req: NextRequest): Promise<Response> {
  return toNextResponse(await handleRevoke(await hostedRuntime(), await fromNextRequest(req)));
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as OPTIONS };
