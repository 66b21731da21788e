import type { HostedRuntime } from '../../hosted/runtime';
import { clientIpOf } from '../../security/client-ip';
import type { HttpIn, HttpOut } from '../../hosted/http';
import { authenticateClient, clientAuthErrorHeaders, readClientCredentials } from '../client-auth';
import { errorJson, methodNotAllowed, oauthJson, preflight, readForm, unavailable } from '../endpoint';
import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { TokenForm, type TokenRequest } from './form';
import type { TokenResponse } from './response';
import { oauthError } from '../errors';
import { OAuthError } from '../types';
import { authorizationCodeGrant } from './authorization-code';
import { annotateRequest } from '../../observability/context';
import { countTokenGrant } from '../../observability/metrics';
import { refreshTokenGrant } from './refresh-token';

/**
 * POST /oauth2/token (reference §1.2; security checklist §2–3): form body, client authentication, then
 * the grant. Grants Portico does not offer (client_credentials, password, anything else) are
 * unsupported_grant_type. Every answer is JSON with no-store; nothing unexpected becomes a 500.
 */
type Grant = (rt: HostedRuntime, client: UserPoolClientType, form: TokenRequest, req: HttpIn) => Promise<TokenResponse>;
/** Each grant gets the request too: a refresh's ID-token issuer may follow the site it came in on. */
const GRANTS: Record<'authorization_code' | 'refresh_token', Grant> = { authorization_code: authorizationCodeGrant, refresh_token: refreshTokenGrant };

export async function handleToken(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  if (req.method === 'OPTIONS') return preflight('POST, OPTIONS');
  if (req.method !== 'POST') return methodNotAllowed('POST, OPTIONS');
  let grantType: string | undefined;
  try {
    const form = readForm(req, TokenForm);
    grantType = form.grant_type;
    const client = await authenticateClient(rt, readClientCredentials(req.headers, form), clientIpOf(req.headers), req.headers);
    annotateRequest({ clientId: client.ClientId, poolId: client.UserPoolId });
    if (grantType === undefined) throw oauthError('invalid_request', 'The grant_type parameter is missing');
    const grant = grantType === 'authorization_code' || grantType === 'refresh_token' ? GRANTS[grantType] : undefined;
    if (!grant) throw oauthError('unsupported_grant_type', 'The grant_type is not supported');
    const answer = oauthJson(200, await grant(rt, client, form, req));
    countTokenGrant(grantType, 'ok');
    annotateRequest({ outcome: grantType });
    return answer;
  } catch (e) {
    const outcome = e instanceof OAuthError ? e.error : 'unavailable';
    countTokenGrant(grantType, outcome);
    annotateRequest({ outcome });
    if (!(e instanceof OAuthError)) return unavailable();
    return errorJson(e, clientAuthErrorHeaders(e));
  }
}

