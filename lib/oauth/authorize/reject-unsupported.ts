import { oauthError } from '../errors';
import type { AuthorizeCheck } from './context';

/**
 * Features Portico does not offer, refused with the errors OIDC Core §3.1.2.6 names for them rather
 * than silently ignored: request objects, and identity providers other than the pool's own directory
 * (federation).
 */
export const rejectUnsupported: AuthorizeCheck = ({ params }) => {
  if (params.has('request')) throw oauthError('request_not_supported', 'Request objects are not supported');
  if (params.has('request_uri')) throw oauthError('request_uri_not_supported', 'The request_uri parameter is not supported');
  if (params.has('registration')) throw oauthError('registration_not_supported', 'The registration parameter is not supported');
  const idp = params.get('identity_provider');
  if (idp !== undefined && idp !== 'COGNITO') throw oauthError('invalid_request', 'The identity_provider is not supported');
  if (params.has('idp_identifier')) throw oauthError('invalid_request', 'The idp_identifier parameter is not supported');
};
