import type { HostedRuntime } from './runtime';
import { formFields, redirect, type HttpIn, type HttpOut } from './http';
import { createTransaction, newBrowserId } from './transactions';
import { loadSsoSession } from './sso-session';
import { sessionUsable, silentSignIn } from './sso';
import { authorizationResponse } from './complete';
import { cookieNames, setCookie } from './cookies';
import { entryPathOf, stepUrl } from './routes';
import { hostedErrorResponse, isPageError } from './error-response';
import { validateAuthorizeRequest } from '../oauth/authorize';
import { errorRedirectUrl } from '../oauth/redirect';
import type { AuthorizeRequest } from '../oauth/types';
import { explicitLocale, LOCALE_COOKIE } from '../i18n/locales';
import { readClientSettings } from '../settings/client-settings';
import { embedOfRequest } from './embed/request';
import { embeddedCompletion } from './embed/completion';
import { requestHttps, requestIssuer, requestSite } from '../domains/hosted';
import { servesPool } from '../domains/site';

/** What an unknown client_id gets (lib/oauth/authorize/check-client.ts: invalid_client, not redirected). */
function unknownClientCode() {
  return 'invalid_client' as const;
}

/**
 * The authorization endpoint: `GET|POST /oauth2/authorize` and `GET /login` with the authorize
 * parameters. After validation (lib/oauth/authorize) either a live SSO session answers at once (silent
 * sign-in), or a sign-in transaction starts, bound to this browser, and the person is sent to the form.
 */
function paramsOf(req: HttpIn): Array<[string, string]> {
  if (req.method === 'POST') {
    const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    return type === 'application/x-www-form-urlencoded' ? [...formFields(req)] : [];
  }
  return [...req.url.searchParams];
}

async function clientDefaultLocale(rt: HostedRuntime, req: HttpIn, request: AuthorizeRequest): Promise<string | undefined> {
  const asked = explicitLocale({
    uiLocales: request.uiLocales,
    lang: request.lang,
    cookie: req.cookies[LOCALE_COOKIE],
    acceptLanguage: req.headers.get('accept-language'),
  });
  if (asked) return undefined;
  return (await readClientSettings(rt.db, request.clientId))?.defaultLocale;
}

export async function handleAuthorize(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  if (req.method !== 'GET' && req.method !== 'POST') return hostedErrorResponse(req, 405, 'method_not_allowed', { allow: 'GET, POST' });
  const params = paramsOf(req);
  const v = await validateAuthorizeRequest(rt, params);
  // A custom domain serves its own pool's clients only; another pool's client is an unknown one there.
  const site = await requestSite(rt, req.headers);
  const baseUrl = site.domain ? { baseUrl: site.baseUrl } : {};
  const foreign = async (clientId: string) => !servesPool(site, (await rt.directory.appClient(clientId))?.UserPoolId);
  if (!v.ok) {
    if (v.error.redirectable && v.request) {
      // The client was found before its redirect URI was accepted: its description is in the cache.
      const clientId = params.find(([k]) => k === 'client_id')?.[1] ?? '';
      if (await foreign(clientId)) return hostedErrorResponse(req, 400, unknownClientCode());
      const poolId = (await rt.directory.appClient(clientId))?.UserPoolId ?? '';
      return redirect(errorRedirectUrl(v.request, requestIssuer(rt, { poolId, ...baseUrl }), v.error.error, v.error.description), 302);
    }
    const code = isPageError(v.error.error) ? v.error.error : 'invalid_request';
    return hostedErrorResponse(req, v.error.status >= 500 ? v.error.status : 400, code);
  }
  if (!servesPool(site, v.request.poolId)) return hostedErrorResponse(req, 400, unknownClientCode());
  const request: AuthorizeRequest = { ...v.request, ...baseUrl };
  const https = requestHttps(rt, req.headers);
  const names = cookieNames(https);
  // Embedded mode (lib/hosted/embed): a parent the client did not list gets nothing to frame or message.
  const asked = await embedOfRequest(rt, params, request.clientId);
  if (!asked.ok) return hostedErrorResponse(req, 400, 'invalid_request');
  const embed = asked.embed;
  const answer = (location: string): HttpOut => (embed ? embeddedCompletion(req, { location, parent: embed.parent }) : redirect(location, 302));

  // Cognito's /signup and /forgotPassword take the authorize parameters too; they open on that page.
  const entry = entryPathOf(req.url.pathname);
  if (request.prompt !== 'login' && entry === '/login') {
    const session = await loadSsoSession(rt, req.cookies[names.session]);
    if (session && sessionUsable(session, request, rt.clock.now())) {
      const silent = await silentSignIn(rt, request, session);
      if (silent) return answer(await authorizationResponse(rt, request, silent.result, silent.claims));
    }
  }
  if (request.prompt === 'none') {
    return answer(errorRedirectUrl(request, requestIssuer(rt, request), 'login_required', 'The user is not signed in'));
  }

  let browserId = req.cookies[names.browser];
  const cookies: string[] = [];
  if (!browserId || browserId.length > 64) {
    browserId = newBrowserId();
    cookies.push(setCookie(names.browser, browserId, { https, embedded: embed !== undefined }));
  }
  // The client's default language applies when the request names none Portico ships; carried as
  // ui_locales on the dialogue's URLs so every page of it (and its <html lang>) agrees.
  const clientLocale = await clientDefaultLocale(rt, req, request);
  const dialogue = { ...request, ...(clientLocale ? { uiLocales: clientLocale } : {}), ...(embed ? { embed } : {}) };
  const tx = await createTransaction(rt, browserId, { request: dialogue, step: 'login', typedUsername: request.loginHint });
  const out = redirect(stepUrl(entry, tx.id, dialogue), 303);
  out.cookies = cookies;
  return out;
}
