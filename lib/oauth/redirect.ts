import type { AuthorizeRequest } from './types';

/**
 * Authorization responses (RFC 6749 §4.1.2, RFC 9207): parameters in the query for `code`, in the
 * fragment for `token`; `state` echoed byte for byte and `iss` on every response, success or error.
 */
export function authorizationResponseUrl(
  request: Pick<AuthorizeRequest, 'redirectUri' | 'responseType' | 'state'>,
  issuer: string,
  params: Record<string, string | undefined>,
): string {
  const url = new URL(request.redirectUri);
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out.set(k, v);
  if (request.state !== undefined) out.set('state', request.state);
  out.set('iss', issuer);
  if (request.responseType === 'token') {
    url.hash = out.toString();
    return url.toString();
  }
  for (const [k, v] of out) url.searchParams.append(k, v);
  return url.toString();
}

export function errorRedirectUrl(
  request: Pick<AuthorizeRequest, 'redirectUri' | 'responseType' | 'state'>,
  issuer: string,
  error: string,
  description?: string,
): string {
  return authorizationResponseUrl(request, issuer, { error, error_description: description });
}
