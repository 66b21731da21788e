import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { requestHttps, requestIssuer } from '../domains/hosted';
import type { HostedRuntime } from './runtime';
import { redirect, type HttpIn, type HttpOut } from './http';
import { endTransactionWrite, type Transaction } from './transactions';
import { destroySsoSessionWrite, newSsoSession, type SsoSessionData } from './sso-session';
import { NothingToClaim, writeAll, type Write } from '../db/prepared';
import { cookieNames, setCookie } from './cookies';
import { toErrorPage } from './dialogue';
import { grantFor, newCode } from '../oauth/codes';
import { authorizationResponseUrl } from '../oauth/redirect';
import type { AuthorizeRequest } from '../oauth/types';
import { isAccountSignIn } from './account/request';
import { keepAccountTokens } from './account/state';
import { embeddedCompletion } from './embed/completion';
import { refreshTokenLifetimeMs, rememberRefreshContext } from './aws-refresh-context';

/**
 * The end of an interactive sign-in: the pool's tokens become the app's authorization response. The
 * transaction ends (only one completion wins), a fresh SSO session replaces any earlier one (new id on
 * every sign-in: no session fixation), and a code is stored, all in one database transaction — or, for
 * the implicit flow, the tokens go in the fragment (never a refresh token).
 */
interface TokenClaims {
  sub?: string;
  username?: string;
  auth_time?: number;
}

/** The tokens came straight from the pool over its own door, so their claims are read, not verified. */
function claimsOf(token: string): TokenClaims {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return {};
  }
}

/**
 * The ID token the app gets: the pool's (the embedded pool already carries nonce and auth_time), or in
 * AWS mode Portico's re-issue of it (lib/hosted/aws-id-token).
 */
async function appIdToken(rt: HostedRuntime, request: AuthorizeRequest, result: AuthenticationResultType, authTime: number): Promise<string | undefined> {
  if (!request.scopes.includes('openid') || !result.IdToken) return undefined;
  if (!rt.idTokens) return result.IdToken;
  return rt.idTokens.mint({
    poolId: request.poolId,
    clientId: request.clientId,
    issuer: requestIssuer(rt, request),
    poolIdToken: result.IdToken,
    accessToken: result.AccessToken!,
    nonce: request.nonce,
    authTime,
  });
}

export async function implicitResponseUrl(
  rt: HostedRuntime,
  request: AuthorizeRequest,
  result: AuthenticationResultType,
  authTime: number,
): Promise<string> {
  return authorizationResponseUrl(request, requestIssuer(rt, request), {
    access_token: result.AccessToken,
    id_token: await appIdToken(rt, request, result, authTime),
    token_type: 'Bearer',
    expires_in: String(result.ExpiresIn ?? 3600),
  });
}

/**
 * AWS mode: Amazon Cognito's refresh token remembers neither the scopes granted nor the custom domain,
 * so the refresh grant finds them here (lib/hosted/aws-refresh-context.ts). Before the code exists, so a
 * code that can be redeemed always has its record.
 */
async function rememberForRefresh(rt: HostedRuntime, request: AuthorizeRequest, refreshToken: string): Promise<void> {
  await rememberRefreshContext(rt.db, {
    refreshToken,
    poolId: request.poolId,
    clientId: request.clientId,
    scopes: request.scopes,
    ...(request.baseUrl !== undefined ? { baseUrl: request.baseUrl } : {}),
    lifetimeMs: refreshTokenLifetimeMs(await rt.directory.appClient(request.clientId)),
    now: rt.clock.now(),
  });
}

/**
 * The authorization response for tokens the pool issued for `request` (also used by silent SSO).
 * `first`: the caller's writes, made before anything of the response is stored; with a code they and
 * the code are one transaction (writeAll), so a claim among them that fails stores nothing.
 */
export async function authorizationResponse(
  rt: HostedRuntime,
  request: AuthorizeRequest,
  result: AuthenticationResultType,
  claims: { sub: string; authTime: number },
  first: readonly Write[] = [],
): Promise<string> {
  if (request.responseType === 'token') {
    await writeAll(rt.db, first);
    return implicitResponseUrl(rt, request, result, claims.authTime);
  }
  // AWS mode: the refresh context is stored between the caller's writes and the code.
  const remember = rt.settings.aws && result.RefreshToken;
  if (remember) {
    await writeAll(rt.db, first);
    await rememberForRefresh(rt, request, remember);
  }
  const { code, write } = newCode({ box: rt.box, now: () => rt.clock.now() }, grantFor(request, claims.authTime, claims.sub), {
    accessToken: result.AccessToken!,
    idToken: await appIdToken(rt, request, result, claims.authTime),
    refreshToken: result.RefreshToken,
    expiresIn: result.ExpiresIn ?? 3600,
  });
  await writeAll(rt.db, remember ? [write] : [...first, write]);
  return authorizationResponseUrl(request, requestIssuer(rt, request), { code });
}

/**
 * The end of the transaction, the earlier SSO session's removal and the new session's record: the
 * first writes of a completion, in one transaction with the code (a sign-in writes one batch instead of
 * four commits). Ending the transaction is a claim: of two completions of one transaction only one
 * stores anything.
 */
function completionWrites(rt: HostedRuntime, tx: Transaction, earlierSession: string | undefined, data: SsoSessionData) {
  const { session, write } = newSsoSession(rt, data);
  const writes = [endTransactionWrite(tx.id), ...(earlierSession ? [destroySsoSessionWrite(earlierSession)] : []), write];
  return { session, writes };
}

export async function complete(rt: HostedRuntime, req: HttpIn, tx: Transaction, result: AuthenticationResultType): Promise<HttpOut> {
  const request = tx.state.request;
  const claims = claimsOf(result.AccessToken!);
  const sub = claims.sub;
  const username = claims.username ?? tx.state.username ?? tx.state.typedUsername;
  if (!sub || !username) return toErrorPage(req, 'server_error');
  const authTime = claims.auth_time ?? Math.floor(rt.clock.now() / 1000);

  const https = requestHttps(rt, req.headers);
  const names = cookieNames(https);
  const { session, writes } = completionWrites(rt, tx, req.cookies[names.session], { poolId: request.poolId, sub, username, authTime, clients: [request.clientId] });
  let location: string;
  try {
    // An account sign-in (lib/hosted/account) goes back to the account page; no app gets anything.
    if (isAccountSignIn(request)) {
      await writeAll(rt.db, writes);
      location = await keepAccountTokens(rt, session, request, result);
    } else {
      location = await authorizationResponse(rt, request, result, { sub, authTime }, writes);
    }
  } catch (e) {
    // Another completion of this transaction got there first.
    if (e instanceof NothingToClaim) return toErrorPage(req, 'expired');
    throw e;
  }
  // Inside an app's iframe the response goes to the parent page by postMessage (lib/hosted/embed).
  const embed = isAccountSignIn(request) ? undefined : request.embed;
  const out = embed ? embeddedCompletion(req, { location, parent: embed.parent }) : redirect(location, 303);
  out.cookies = [setCookie(names.session, session.id, { https, maxAgeSeconds: rt.settings.sessionTtl, embedded: embed !== undefined })];
  return out;
}
