import { RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { clientIpOf } from '../security/client-ip';
import type { HostedRuntime } from '../hosted/runtime';
import type { HttpIn, HttpOut } from '../hosted/http';
import { authenticateClient, clientAuthErrorHeaders, readClientCredentials } from './client-auth';
import { z } from 'zod';
import { CORS, errorJson, formParam, methodNotAllowed, preflight, readForm, unavailable } from './endpoint';
import { cognitoErrorName, oauthError } from './errors';
import { OAuthError } from './types';

/**
 * POST /oauth2/revoke (RFC 7009, reference §1.4, checklist §14) through RevokeToken: revoking a refresh
 * token ends its family (the access and ID tokens sharing its origin_jti). Unknown, invalid or already
 * revoked tokens, and tokens of another client (which stay untouched), answer 200 as RFC 7009 §2.2 asks:
 * the caller learns nothing about tokens that are not its own. `token_type_hint` is only a hint.
 * Access and ID tokens cannot be revoked one by one: unsupported_token_type, as Cognito answers.
 */
const RevokeForm = z.object({
  token: formParam(16_384),
  token_type_hint: formParam(64),
  client_id: formParam(1024),
  client_secret: formParam(1024),
});

function ok(): HttpOut {
  return { status: 200, headers: { ...CORS, 'cache-control': 'no-store', pragma: 'no-cache' }, body: '' };
}

export async function handleRevoke(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  if (req.method === 'OPTIONS') return preflight('POST, OPTIONS');
  if (req.method !== 'POST') return methodNotAllowed('POST, OPTIONS');
  try {
    const form = readForm(req, RevokeForm);
    const client = await authenticateClient(rt, readClientCredentials(req.headers, form), clientIpOf(req.headers), req.headers);
    const token = form.token;
    if (token === undefined) throw oauthError('invalid_request', 'The token parameter is missing');
    if (client.EnableTokenRevocation === false) throw oauthError('invalid_request', 'Token revocation is not enabled for this client');
    try {
      await rt.cognito.send(new RevokeTokenCommand({ Token: token, ClientId: client.ClientId, ClientSecret: client.ClientSecret }));
    } catch (e) {
      const name = cognitoErrorName(e);
      if (name === 'UnsupportedTokenTypeException') throw oauthError('unsupported_token_type', 'Only refresh tokens can be revoked');
      if (name === 'UnsupportedOperationException') throw oauthError('invalid_request', 'Token revocation is not enabled for this client');
      // UnauthorizedException: another client's token, left alone. Other client errors: not a token we know.
      if (!name) throw e;
    }
    return ok();
  } catch (e) {
    if (!(e instanceof OAuthError)) return unavailable();
    return errorJson(e, clientAuthErrorHeaders(e));
  }
}
