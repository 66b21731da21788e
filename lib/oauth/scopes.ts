/**
 * OAuth scopes as Cognito treats them (reference §1.1): the reserved scopes plus resource-server scopes
 * `<identifier>/<name>`; RFC 6749 §3.3 grammar (scope-token = 1*( %x21 / %x23-5B / %x5D-7E )).
 */
export const OIDC_SCOPE = 'openid';
export const RESERVED_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'] as const;
/** Scopes that only mean something alongside `openid` (ID token and userinfo claims). */
export const CLAIM_SCOPES = ['email', 'phone', 'profile'] as const;

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Space-separated scope tokens, duplicates removed, order kept; undefined when malformed. */
export function parseScope(value: string): string[] | undefined {
  const tokens = value.split(' ').filter((t) => t !== '');
  if (tokens.length === 0 || !tokens.every((t) => SCOPE_TOKEN.test(t))) return undefined;
  return [...new Set(tokens)];
}

/** A scope Cognito could know: reserved, or shaped like a resource-server scope. */
export function knownShape(scope: string): boolean {
  return (RESERVED_SCOPES as readonly string[]).includes(scope) || /^[^/]+\/.+$/.test(scope);
}

export type ScopeGrant = { ok: true; scopes: string[] } | { ok: false; description: string };

/**
 * What the client gets for a requested scope: omitted → every scope the client may have; malformed or
 * unknown → invalid_scope; otherwise the requested scopes the client may have (others silently
 * dropped, as Cognito does), and `email`/`phone`/`profile` only together with `openid` — without it
 * they could shape no ID token and no userinfo answer, so they are dropped too.
 */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): ScopeGrant {
  let wanted: string[];
  if (requested === undefined) wanted = [...allowed];
  else {
    const parsed = parseScope(requested);
    if (!parsed) return { ok: false, description: 'The scope parameter is malformed' };
    if (!parsed.every(knownShape)) return { ok: false, description: 'The scope parameter names an unknown scope' };
    wanted = parsed.filter((s) => allowed.includes(s));
  }
  const withOpenId = wanted.includes(OIDC_SCOPE);
  const scopes = wanted.filter((s) => withOpenId || !(CLAIM_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0) return { ok: false, description: 'None of the requested scopes is allowed for this client' };
  return { ok: true, scopes };
}
