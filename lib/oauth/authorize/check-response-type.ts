import { oauthError } from '../errors';
import type { AuthorizeCheck } from './context';

/**
 * `code`, or `token` (implicit) when the client's AllowedOAuthFlows list it (reference §1.1); hybrid and
 * OIDC `id_token` response types are not offered.
 */
const FLOW = { code: 'code', token: 'implicit' } as const;

export const checkResponseType: AuthorizeCheck = (ctx) => {
  const value = ctx.params.get('response_type');
  if (!value) throw oauthError('invalid_request', 'The response_type parameter is missing');
  if (value !== 'code' && value !== 'token') {
    throw oauthError('unsupported_response_type', 'The response_type is not supported');
  }
  ctx.request.responseType = value;
  if (!(ctx.client?.AllowedOAuthFlows ?? []).includes(FLOW[value])) {
    throw oauthError('unauthorized_client', `The client may not use response_type ${value}`);
  }
};
