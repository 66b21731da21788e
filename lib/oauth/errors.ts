import { OAuthError } from './types';

/**
 * OAuth error construction. `error_description` may hold only %x20-21 / %x23-5B / %x5D-7E (RFC 6749
 * §5.2): anything else (quotes, backslashes, control or non-ASCII characters) becomes a space, so a
 * value echoed into a description can never break the JSON, a header or a redirect.
 */
export function cleanDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, ' ').slice(0, 300);
}

export function oauthError(error: string, description: string, o: { redirectable?: boolean; status?: number } = {}): OAuthError {
  return new OAuthError(error, cleanDescription(description), o.redirectable ?? false, o.status ?? 400);
}

/** The exception name of an AWS SDK error (Cognito's `__type`), or undefined for anything else. */
export function cognitoErrorName(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const meta = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const fault = (e as { $fault?: string }).$fault;
  if (!meta || fault !== 'client') return undefined;
  const name = (e as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}
