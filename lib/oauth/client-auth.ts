import { logger } from '../observability/logger';
import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { safeEqual } from '../crypto/compare';
import type { HostedRuntime } from '../hosted/runtime';
import { oauthError } from './errors';
import { OAuthError } from './types';
import { hit, peek } from '../security/rate-limit';
import { requestSite } from '../domains/hosted';
import { servesPool } from '../domains/site';

/**
 * Client authentication at /oauth2/token and /oauth2/revoke (RFC 6749 §2.3.1, reference §1.2):
 * client_secret_basic, client_secret_post, or a public client naming itself with client_id. Failures are
 * 401 invalid_client with a Basic challenge (RFC 6749 §5.2, RFC 7235).
 */
export type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface ClientCredentials {
  clientId: string;
  /** Candidate secrets: the form-decoded value and, when a client did not encode, the raw one. */
  secrets: string[];
  method: AuthMethod;
}

export const BASIC_CHALLENGE = 'Basic realm="portico", charset="UTF-8"';
const CLIENT_ID = /^[\w+]+$/;
const MAX_PART = 1024;

export function invalidClient(description: string) {
  return oauthError('invalid_client', description, { status: 401 });
}

/** application/x-www-form-urlencoded decoding of one Basic credential part, as RFC 6749 §2.3.1 asks. */
function formDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function basicCredentials(header: string): { clientId: string; secrets: string[] } {
  const m = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!m) throw invalidClient('The Authorization header is malformed');
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0 || text.length > 2 * MAX_PART) throw invalidClient('The Authorization header is malformed');
  const rawId = text.slice(0, colon);
  const rawSecret = text.slice(colon + 1);
  // Client ids never contain spaces, so a decoded space means the client sent its id unencoded.
  const decodedId = formDecode(rawId);
  const clientId = decodedId !== undefined && CLIENT_ID.test(decodedId) ? decodedId : rawId;
  const decodedSecret = formDecode(rawSecret);
  const secrets = [...new Set([decodedSecret, rawSecret].filter((s): s is string => s !== undefined && s !== ''))];
  return { clientId, secrets };
}

/** The client-authentication fields of a token or revocation request body. */
export interface ClientFields {
  client_id?: string;
  client_secret?: string;
}

export function readClientCredentials(headers: Headers, form: ClientFields): ClientCredentials {
  const authorization = headers.get('authorization');
  const bodyId = form.client_id;
  const bodySecret = form.client_secret;
  if (authorization) {
    if (bodySecret !== undefined) throw oauthError('invalid_request', 'Use only one client authentication method');
    const basic = basicCredentials(authorization);
    if (bodyId !== undefined && bodyId !== basic.clientId) throw invalidClient('The client_id does not match the Authorization header');
    return { ...basic, method: 'client_secret_basic' };
  }
  if (bodyId === undefined) throw invalidClient('Client authentication is required');
  return bodySecret === undefined
    ? { clientId: bodyId, secrets: [], method: 'none' }
    : { clientId: bodyId, secrets: [bodySecret], method: 'client_secret_post' };
}

/**
 * The authenticated app client. A client with a secret must present it; a public client must not
 * present one (it would be a secret that authenticates nothing).
 */
/**
 * Guessing a client secret (security checklist 27): after SECRET_FAILURES wrong secrets for one client from
 * one address within a minute, that address gets 429 for that client until the minute is over — also with
 * the right secret, or the throttle would be an oracle. Counted per address so that an attacker cannot lock
 * the real app out from elsewhere.
 */
export const SECRET_FAILURES = { limit: 20, windowMs: 60_000 };

export function tooManyFailures(retryAfterMs: number): OAuthError {
  const e = oauthError('invalid_client', 'Too many failed client authentications; try again later', { status: 429 });
  return Object.assign(e, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
}

/** Headers for an error from authenticateClient: the Basic challenge on 401, Retry-After on 429. */
export function clientAuthErrorHeaders(e: OAuthError): Record<string, string> {
  if (e.status === 401) return { 'www-authenticate': BASIC_CHALLENGE };
  const retry = (e as OAuthError & { retryAfterSeconds?: number }).retryAfterSeconds;
  return e.status === 429 && retry ? { 'retry-after': String(retry) } : {};
}

export async function authenticateClient(
  rt: HostedRuntime,
  creds: ClientCredentials,
  ip = 'unknown',
  headers?: { get(name: string): string | null },
): Promise<UserPoolClientType> {
  if (!CLIENT_ID.test(creds.clientId)) throw invalidClient('Client authentication failed');
  const client = await rt.directory.appClient(creds.clientId);
  if (!client) throw invalidClient('Client authentication failed');
  // On a custom domain another pool's client is as unknown as a made-up one (lib/domains).
  if (headers && !servesPool(await requestSite(rt, headers), client.UserPoolId)) throw invalidClient('Client authentication failed');
  const secret = client.ClientSecret;
  if (secret) {
    const key = `client-secret:${creds.clientId}:${ip}`;
    const now = rt.clock.now();
    const seen = await peek(rt.db, key, SECRET_FAILURES, now);
    if (!seen.ok) throw tooManyFailures(seen.retryAfterMs);
    // Every candidate is compared, so timing does not tell which form matched.
    const matches = creds.secrets.map((s) => safeEqual(s, secret)).some(Boolean);
    if (!matches) {
      const counted = await hit(rt.db, key, SECRET_FAILURES, now);
      // Ids and counts only; never the secret that was tried.
      if (counted.count === SECRET_FAILURES.limit) {
        logger().warn({ clientId: creds.clientId, ip, failures: counted.count }, 'client secret guessing throttled');
      }
      throw invalidClient('Client authentication failed');
    }
  } else if (creds.secrets.length > 0) {
    throw invalidClient('Client authentication failed');
  }
  return client;
}
