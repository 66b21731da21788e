import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../hosted/runtime';
import type { HttpIn, HttpOut } from '../hosted/http';
import { CORS, methodNotAllowed, oauthJson, preflight, unavailable } from './endpoint';
import { cognitoErrorName, cleanDescription } from './errors';
import { releasedBy } from '../oidc/scope-claims';
import { OIDC_SCOPE } from './scopes';
import { accessClaims } from './token/response';

/**
 * GET/POST /oauth2/userInfo (reference §1.3, decision 3): the access token in the Authorization header
 * only (RFC 6750 §2.1; a token in the query or body is refused, checklist 35), GetUser through the pool,
 * claims chosen by the token's scopes, `email_verified`/`phone_number_verified` as strings as Cognito
 * sends them, plus `sub` and `username`.
 */
const BAD_REQUEST = 'Bad OAuth2 request at UserInfo Endpoint';
const INVALID_TOKEN = 'Access token is expired, disabled, or deleted, or the user has globally signed out.';
const NO_OPENID = 'The access token does not carry the openid scope';

function challenge(status: number, error: string, description: string): HttpOut {
  const text = cleanDescription(description);
  return oauthJson(status, { error, error_description: text }, {
    'www-authenticate': `Bearer error="${error}", error_description="${text}"`,
  });
}

function bearerToken(req: HttpIn): string | undefined | null {
  const header = req.headers.get('authorization');
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '');
  return m ? m[1] : header ? null : undefined;
}

function tokenElsewhere(req: HttpIn): boolean {
  if (req.url.searchParams.has('access_token')) return true;
  return req.method === 'POST' && new URLSearchParams(req.body).has('access_token');
}

export async function handleUserInfo(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  if (req.method === 'OPTIONS') return preflight('GET, POST, OPTIONS');
  if (req.method !== 'GET' && req.method !== 'POST') return methodNotAllowed('GET, POST, OPTIONS');
  const token = bearerToken(req);
  if (!token || tokenElsewhere(req)) return challenge(400, 'invalid_request', BAD_REQUEST);

  let user;
  try {
    user = await rt.cognito.send(new GetUserCommand({ AccessToken: token }));
  } catch (e) {
    const name = cognitoErrorName(e);
    if (!name) return unavailable();
    // A valid token whose scopes open neither userinfo nor the user-pool API.
    if ((e as Error).message === 'Access Token does not have required scopes') return challenge(403, 'insufficient_scope', NO_OPENID);
    return challenge(401, 'invalid_token', INVALID_TOKEN);
  }
  const claims = accessClaims(token);
  // Tokens from the user-pool API (scope aws.cognito.signin.user.admin only) are not for userinfo.
  if (!claims.scope.includes(OIDC_SCOPE)) return challenge(403, 'insufficient_scope', NO_OPENID);

  const released = releasedBy(claims.scope);
  const body: Record<string, string> = {};
  for (const a of user.UserAttributes ?? []) {
    if (a.Name && a.Value !== undefined && released(a.Name)) body[a.Name] = a.Value;
  }
  const sub = (user.UserAttributes ?? []).find((a) => a.Name === 'sub')?.Value;
  if (sub) body.sub = sub;
  body.username = user.Username ?? '';
  return oauthJson(200, body, { ...CORS, 'x-frame-options': 'DENY' });
}
