import type { NextRequest } from 'next/server';
import { hostedRuntime } from '@/lib/hosted/runtime';
import { fromNextRequest, toNextResponse } from '@/lib/hosted/next';
import { handleUserInfo } from '@/lib/oauth/userinfo';

export const dynamic = 'force-dynamic';

/** GET/POST /oauth2/userInfo; other methods get 405 and OPTIONS the CORS preflight (lib/oauth/userinfo). */
async function handle(req: NextRequest): Promise<Response> {
  return toNextResponse(await handleUserInfo(await hostedRuntime(), await fromNextRequest(req)));
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as OPTIONS };
