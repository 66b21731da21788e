import { json, type HttpIn, type HttpOut } from '../hosted/http';
import { cleanDescription } from './errors';
import { Params, repeated } from './params';
import { OAuthError } from './types';

/**
 * What /oauth2/token, /oauth2/revoke and /oauth2/userInfo share: CORS `*` as Cognito sends it
 * (ARCHITECTURE.md: browser apps call them; no cookies are involved), JSON answers that are never cached,
 * form-encoded request bodies only.
 */
export const CORS: Readonly<Record<string, string>> = { 'access-control-allow-origin': '*' };

export function oauthJson(status: number, value: unknown, extra: Record<string, string> = {}): HttpOut {
  return json(status, value, { ...CORS, ...extra });
}

export function errorJson(err: OAuthError, extra: Record<string, string> = {}): HttpOut {
  return oauthJson(err.status, { error: err.error, error_description: cleanDescription(err.description) }, extra);
}

export function preflight(methods: string): HttpOut {
  return {
    status: 204,
    headers: {
      ...CORS,
      'access-control-allow-methods': methods,
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '86400',
      'cache-control': 'no-store',
    },
    body: '',
  };
}

export function methodNotAllowed(allow: string): HttpOut {
  return oauthJson(405, { error: 'invalid_request', error_description: 'This method is not allowed here' }, { allow });
}

/** An unexpected failure (the pool unreachable, a store error): a clean answer, never a 500 page. */
export function unavailable(): HttpOut {
  return oauthJson(503, { error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable' }, { 'retry-after': '1' });
}

/**
 * The form body of a POST (RFC 6749 §3.2: application/x-www-form-urlencoded only), with the named
 * parameters each sent at most once.
 */
export function readForm(req: HttpIn, known: readonly string[]): Params {
  const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded', false);
  }
  const params = new Params(new URLSearchParams(req.body));
  const name = repeated(params, known);
  if (name) throw new OAuthError('invalid_request', `The ${name} parameter was sent more than once`, false);
  return params;
}
