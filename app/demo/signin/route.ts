import type { NextRequest } from 'next/server';
import { demoEnabled, demoRelyingParty } from '@/lib/demo/relying-party';
import { demoAuthOptions } from '@/lib/demo/auth-options';
import { postWithCsrf } from '@/lib/demo/next-auth-bridge';
import { demoUnavailable, localeOfRequest, requestCookies, requestHeaders, seeOther } from '@/lib/demo/responses';

/** The demo's "Sign in with Portico" form: next-auth's sign-in, in the page's language. */
export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest): Promise<Response> {
  if (!demoEnabled()) return demoUnavailable(req, 404);
  const rp = await demoRelyingParty();
  if (!rp) return demoUnavailable(req, 503);
  const result = await postWithCsrf(demoAuthOptions(rp), {
    action: ['signin', 'portico'],
    cookies: requestCookies(req),
    headers: requestHeaders(req),
    body: { callbackUrl: rp.demoUrl },
    // Authorization parameters: Portico's pages open in the language the demo was shown in.
    query: { ui_locales: localeOfRequest(req) },
  });
  return seeOther(result, `${rp.demoUrl}?error=OAuthSignin`);
}
