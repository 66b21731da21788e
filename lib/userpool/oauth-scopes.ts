import { createHash } from 'node:crypto';
import type { ClientRecord } from './clients';
import { releasedBy } from '../oidc/scope-claims';

/**
 * OAuth-shaped tokens for Portico's hosted front (issue 3, decision 1). The hosted front signs users in
 * through the ordinary InitiateAuth/RespondToAuthChallenge dialogue and names the scopes it granted in
 * ClientMetadata['portico:scope']; the pool then issues tokens as Cognito's token endpoint would: the
 * access token carries those scopes and `version: 2`, the ID token exists only with `openid` and its
 * attributes follow the scopes (reference §1.3), with `at_hash`. Without the key, API tokens as before.
 */
export const SCOPE_METADATA = 'portico:scope';

/**
 * The scopes a sign-in asked for through ClientMetadata, kept to the client's AllowedOAuthScopes (the
 * rest is dropped silently, as Cognito drops scopes at /oauth2/authorize). Undefined: not OAuth-shaped.
 */
export function grantedScopes(client: ClientRecord, requested: string | undefined): string[] | undefined {
  if (requested === undefined) return undefined;
  const allowed = new Set(client.config.AllowedOAuthScopes ?? []);
  const out: string[] = [];
  for (const scope of requested.split(' ')) {
    if (scope && allowed.has(scope) && !out.includes(scope)) out.push(scope);
  }
  return out;
}

export function parseScopes(stored: string | null | undefined): string[] | undefined {
  if (stored === null || stored === undefined) return undefined;
  return stored.split(' ').filter((s) => s !== '');
}

/** Whether an attribute belongs in an ID token (or userinfo) issued for these scopes. */
export const attributeSelector = releasedBy;

export function selectAttributes(attributes: Record<string, string>, scopes: string[]): Record<string, string> {
  const keep = attributeSelector(scopes);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) if (keep(name)) out[name] = value;
  return out;
}

/** OIDC Core §3.1.3.6: base64url of the left half of the SHA-256 of the access token's ASCII. */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}
