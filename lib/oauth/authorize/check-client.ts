import { oauthError } from '../errors';
import type { AuthorizeCheck } from './context';

const CLIENT_ID = /^[\w+]+$/;

/**
 * The client exists and may use the hosted sign-in: AllowedOAuthFlowsUserPoolClient and the Cognito
 * user directory among its identity providers (reference §1.1). Never redirected.
 */
export const checkClient: AuthorizeCheck = async (ctx) => {
  const clientId = ctx.params.get('client_id');
  if (!clientId) throw oauthError('invalid_request', 'The client_id parameter is missing');
  if (!CLIENT_ID.test(clientId)) throw oauthError('invalid_client', 'The client_id is not valid');
  let client;
  try {
    client = await ctx.rt.directory.appClient(clientId);
  } catch {
    throw oauthError('temporarily_unavailable', 'The user pool could not be reached', { status: 503 });
  }
  if (!client || !client.UserPoolId) throw oauthError('invalid_client', 'The client_id is not known');
  if (!client.AllowedOAuthFlowsUserPoolClient || !(client.SupportedIdentityProviders ?? []).includes('COGNITO')) {
    throw oauthError('unauthorized_client', 'The client is not enabled for sign-in with this user pool');
  }
  ctx.client = client;
  ctx.request.clientId = clientId;
  ctx.request.poolId = client.UserPoolId;
};
