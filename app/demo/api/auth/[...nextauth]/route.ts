import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { demoEnabled, demoRelyingParty } from '@/lib/demo/relying-party';
import { demoAuthOptions } from '@/lib/demo/auth-options';
import { demoUnavailable } from '@/lib/demo/responses';

/** next-auth's endpoints for the demo relying party (NEXTAUTH_URL = `${PORTICO_URL}/demo/api/auth`). */
export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ nextauth: string[] }> };

async function handle(req: NextRequest, ctx: Context): Promise<Response> {
  if (!demoEnabled()) return demoUnavailable(req, 404);
  const rp = await demoRelyingParty();
  if (!rp) return demoUnavailable(req, 503);
  return (await NextAuth(demoAuthOptions(rp))(req, ctx)) as Response;
}

export { handle as GET, handle as POST };
