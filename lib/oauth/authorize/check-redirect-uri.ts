import { oauthError } from '../errors';
import type { AuthorizeCheck } from './context';

/**
 * redirect_uri is exactly (string equality, RFC 9700 §4.1.3) one of the client's CallbackURLs. When it is
 * omitted, the client's DefaultRedirectURI is used, or its only CallbackURL; with several registered and
 * no default it is required (OIDC Core §3.1.2.1). A mismatch is Cognito's `redirect_mismatch` page.
 * From here on, errors are redirected to this URI.
 */
export const checkRedirectUri: AuthorizeCheck = (ctx) => {
  const callbacks = ctx.client?.CallbackURLs ?? [];
  const sent = ctx.params.get('redirect_uri');
  let uri: string | undefined;
  if (sent !== undefined) {
    if (!callbacks.includes(sent)) throw oauthError('redirect_mismatch', 'The redirect_uri is not registered for this client');
    uri = sent;
  } else if (ctx.client?.DefaultRedirectURI && callbacks.includes(ctx.client.DefaultRedirectURI)) {
    uri = ctx.client.DefaultRedirectURI;
  } else if (callbacks.length === 1) {
    uri = callbacks[0];
  } else {
    throw oauthError('invalid_request', 'The redirect_uri parameter is missing');
  }
  ctx.redirectUri = uri;
  ctx.request.redirectUri = uri;
};
