import type { HostedRuntime } from '../runtime';
import { redirect, type HttpIn, type HttpOut } from '../http';
import { cookieNames, setCookie } from '../cookies';
import { createTransaction, newBrowserId } from '../transactions';
import { loadSsoSession } from '../sso-session';
import { errorPageUrl, stepUrl } from '../routes';
import { hintsOf } from '../dialogue';
import { accountClientOf, accountParamsOf, accountUrl, carried } from './entry';
import { accountSignInRequest } from './request';
import { requestHttps, requestSite } from '../../domains/hosted';
import { servesPool } from '../../domains/site';

/**
 * `GET /account/signin?client_id=…`: starts an account sign-in — a sign-in transaction for that client
 * whose completion returns to the account page (complete.ts) — and sends the browser to the ordinary
 * sign-in form, with the session's username filled in. A route handler rather than the page itself,
 * because it may have to set the browser cookie.
 */
export async function handleAccountSignIn(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const params = accountParamsOf(req.url.searchParams);
  const account = params ? await accountClientOf(rt, params) : undefined;
  if (!params || !account) return redirect(errorPageUrl('invalid_client', hintsOf(req)));
  // A custom domain serves its own pool's clients only (lib/domains).
  if (!servesPool(await requestSite(rt, req.headers), account.client.UserPoolId)) return redirect(errorPageUrl('invalid_client', hintsOf(req)));
  const p = carried(params, account);
  const https = requestHttps(rt, req.headers);
  const names = cookieNames(https);
  const cookies: string[] = [];
  let browserId = req.cookies[names.browser];
  if (!browserId || browserId.length > 64) {
    browserId = newBrowserId();
    cookies.push(setCookie(names.browser, browserId, { https }));
  }
  const session = await loadSsoSession(rt, req.cookies[names.session]);
  const username = session?.data.poolId === account.client.UserPoolId ? session.data.username : undefined;
  const request = accountSignInRequest({
    clientId: account.client.ClientId,
    poolId: account.client.UserPoolId,
    returnTo: accountUrl('/account', p),
    username,
    lang: p.lang,
    uiLocales: p.uiLocales,
  });
  const tx = await createTransaction(rt, browserId, { request, step: 'login', typedUsername: username });
  const out = redirect(stepUrl('/login', tx.id, request), 303);
  out.cookies = cookies;
  return out;
}
