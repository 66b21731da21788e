import { z } from 'zod';
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

/** An optional form parameter of at most `max` characters; an empty value counts as absent. */
export const formParam = (max: number) => z.string().max(max).optional();

export type FormSchema = z.ZodObject<Record<string, ReturnType<typeof formParam>>>;

/**
 * The form body of a POST (RFC 6749 §3.2: application/x-www-form-urlencoded only), parsed with the
 * endpoint's schema: each known parameter sent at most once and within its length, unknown ones ignored.
 */
export function readForm<S extends FormSchema>(req: HttpIn, schema: S): z.infer<S> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded', false);
  }
  const params = new Params(new URLSearchParams(req.body));
  const names = Object.keys(schema.shape);
  const twice = repeated(params, names);
  if (twice) throw new OAuthError('invalid_request', `The ${twice} parameter was sent more than once`, false);
  const parsed = schema.safeParse(Object.fromEntries(names.map((n) => [n, params.get(n)])));
  if (!parsed.success) {
    throw new OAuthError('invalid_request', `The ${String(parsed.error.issues[0]?.path[0] ?? 'request')} parameter is too long`, false);
  }
  return parsed.data;
}
