import type { HostedRuntime } from '../hosted/runtime';
import type { AuthorizeRequest } from '../oauth/types';
import { isHttpsRequest } from './header';
import { issuerAt, siteOf, type Site } from './site';
import { poolOfIssuer } from './store';

/** The hosted front's view of lib/domains: the request's site, its scheme, and issuers per request. */
type HeaderSource = Parameters<typeof isHttpsRequest>[0];

export function requestSite(rt: HostedRuntime, headers: HeaderSource): Promise<Site> {
  return siteOf(rt.db, rt.settings.publicUrl, headers);
}

/** `Secure` and `__Host-` cookies when the request's base URL is https. */
export function requestHttps(rt: HostedRuntime, headers: HeaderSource): boolean {
  return isHttpsRequest(headers, rt.settings.publicUrl);
}

/** The issuer of an authorization request's tokens: the custom domain it started on, else PORTICO_URL's. */
export function requestIssuer(rt: HostedRuntime, request: Pick<AuthorizeRequest, 'poolId' | 'baseUrl'>): string {
  return request.baseUrl ? issuerAt(request.baseUrl, request.poolId) : rt.issuer(request.poolId);
}

/** The pool an `iss` names, on PORTICO_URL or on one of that pool's registered domains. */
export function poolOfHostedIssuer(rt: HostedRuntime, iss: string): Promise<string | undefined> {
  return poolOfIssuer(rt.db, rt.settings.publicUrl, iss);
}
