import type { NextRequest } from 'next/server';
import { demoEnabled, demoRelyingParty } from '@/lib/demo/relying-party';
import { demoAuthOptions } from '@/lib/demo/auth-options';
import { postWithCsrf } from '@/lib/demo/next-auth-bridge';
import { demoUnavailable, requestCookies, requestHeaders, seeOther } from '@/lib/demo/responses';

/**
 * The demo's sign-out: next-auth ends its own session, then the browser goes to Portico's /logout
 * (client_id + logout_uri, as Amplify does), which ends the hosted session and comes back to /demo.
 */
export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  if (!demoEnabled()) return demoUnavailable(req, 404);
  const rp = await demoRelyingParty();
  if (!rp) return demoUnavailable(req, 503);
  const result = await postWithCsrf(demoAuthOptions(rp), {
    action: ['signout'],
    cookies: requestCookies(req),
    headers: requestHeaders(req),
    body: { callbackUrl: rp.porticoLogoutUrl },
  });
  return seeOther(result, rp.porticoLogoutUrl);
}
