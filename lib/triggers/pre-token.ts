import type { CallerContext, StringMap, TriggerHandler } from './events';
import { releasedBy } from '../oidc/scope-claims';
import { SCOPE_METADATA } from '../userpool/oauth-scopes';

/**
 * Pre Token Generation V2 (reference §7) as a Lambda receives it, and Portico's scope-shaping trigger.
 *
 * On Amazon Cognito, tokens from the user-pool API always carry `aws.cognito.signin.user.admin`, whatever
 * the user consented to at Portico's /oauth2/authorize. The hosted front names the granted scopes in
 * ClientMetadata['portico:scope'] on every call of the sign-in dialogue; Cognito hands that metadata to
 * this trigger for RespondToAuthChallenge and GetTokensFromRefreshToken (never for InitiateAuth), and the
 * trigger rewrites the access token's scopes to exactly those, and keeps the ID token's attributes to
 * what the scopes release — what the embedded pool does by itself (lib/userpool/oauth-scopes.ts).
 */
export type PreTokenGenerationSource =
  | 'TokenGeneration_HostedAuth'
  | 'TokenGeneration_Authentication'
  | 'TokenGeneration_NewPasswordChallenge'
  | 'TokenGeneration_AuthenticateDevice'
  | 'TokenGeneration_RefreshTokens';

export interface GroupOverrideDetailsV2 {
  groupsToOverride?: string[] | null;
  iamRolesToOverride?: string[] | null;
  preferredRole?: string | null;
}

/** V2 lets claims be any JSON value, not only strings. */
export type ClaimValue = string | number | boolean | null | ClaimValue[] | { [key: string]: ClaimValue };

export interface IdTokenGeneration {
  claimsToAddOrOverride?: Record<string, ClaimValue> | null;
  claimsToSuppress?: string[] | null;
}

export interface AccessTokenGeneration extends IdTokenGeneration {
  scopesToAdd?: string[] | null;
  scopesToSuppress?: string[] | null;
}

export interface ClaimsAndScopeOverrideDetails {
  idTokenGeneration?: IdTokenGeneration | null;
  accessTokenGeneration?: AccessTokenGeneration | null;
  groupOverrideDetails?: GroupOverrideDetailsV2 | null;
}

export interface PreTokenGenerationV2Event {
  version: string;
  triggerSource: PreTokenGenerationSource;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: CallerContext;
  request: {
    userAttributes: StringMap;
    groupConfiguration: { groupsToOverride: string[]; iamRolesToOverride: string[]; preferredRole: string | null };
    scopes: string[];
    clientMetadata?: StringMap;
  };
  response: { claimsAndScopeOverrideDetails?: ClaimsAndScopeOverrideDetails | null };
}

/**
 * Trigger environment variable: JSON `{"<app client id>": ["scope", …]}`, each client's AllowedOAuthScopes.
 * ClientMetadata comes from whoever calls the API, so a scope beyond the OIDC ones is granted only when
 * listed here for the calling client; the OIDC scopes are harmless next to the API token's own
 * aws.cognito.signin.user.admin, which already lets the user read and change their profile.
 */
export const CLIENT_SCOPES_ENV = 'PORTICO_CLIENT_SCOPES';
export const OIDC_SCOPES: readonly string[] = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];

/** Attributes an ID token never loses to scope shaping (they are reserved claims or not attributes). */
const KEPT_ATTRIBUTES = new Set(['sub', 'cognito:user_status', 'identities']);

export class ClientScopesError extends Error {}

/** The scopes a client may be granted; throws on a malformed variable so a misconfiguration is loud. */
export function allowedScopes(env: Record<string, string | undefined>, clientId: string): ReadonlySet<string> {
  const raw = env[CLIENT_SCOPES_ENV];
  if (raw === undefined || raw === '') return new Set(OIDC_SCOPES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ClientScopesError(`${CLIENT_SCOPES_ENV} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ClientScopesError(`${CLIENT_SCOPES_ENV} must be an object`);
  const entry = (parsed as Record<string, unknown>)[clientId];
  if (entry === undefined) return new Set(OIDC_SCOPES);
  if (!Array.isArray(entry) || !entry.every((s) => typeof s === 'string')) {
    throw new ClientScopesError(`${CLIENT_SCOPES_ENV} must map client ids to arrays of scopes`);
  }
  return new Set(entry as string[]);
}

/** The requested scopes the client may have, in request order, without duplicates or blanks. */
export function grantable(requested: string, allowed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const scope of requested.split(' ')) if (scope && allowed.has(scope) && !out.includes(scope)) out.push(scope);
  return out;
}

/**
 * Fills the event's response so the access token carries exactly the granted scopes and the ID token
 * only the attributes they release. Without 'portico:scope' (an ordinary API sign-in) nothing changes.
 * Whatever another trigger already put in the response is kept, so this composes with custom claims.
 */
export function shapeScopes(event: PreTokenGenerationV2Event, env: Record<string, string | undefined>): PreTokenGenerationV2Event {
  const requested = event.request.clientMetadata?.[SCOPE_METADATA];
  if (requested === undefined) return event;
  const granted = grantable(requested, allowedScopes(env, event.callerContext.clientId));
  const current = event.request.scopes ?? [];
  const scopesToAdd = granted.filter((s) => !current.includes(s));
  const scopesToSuppress = current.filter((s) => !granted.includes(s));
  const released = releasedBy(granted);
  const attributesToSuppress = Object.keys(event.request.userAttributes ?? {}).filter((name) => !KEPT_ATTRIBUTES.has(name) && !released(name));

  const details = event.response.claimsAndScopeOverrideDetails ?? {};
  const access = details.accessTokenGeneration ?? {};
  const id = details.idTokenGeneration ?? {};
  event.response.claimsAndScopeOverrideDetails = {
    ...details,
    accessTokenGeneration: {
      ...access,
      scopesToAdd: union(access.scopesToAdd, scopesToAdd),
      scopesToSuppress: union(access.scopesToSuppress, scopesToSuppress),
    },
    idTokenGeneration: { ...id, claimsToSuppress: union(id.claimsToSuppress, attributesToSuppress) },
  };
  return event;
}

function union(a: string[] | null | undefined, b: string[]): string[] {
  return [...new Set([...(a ?? []), ...b])];
}

/** Portico's Pre Token Generation V2 trigger; `env` is the Lambda's environment. */
export function preTokenTrigger(env: Record<string, string | undefined>): TriggerHandler<PreTokenGenerationV2Event> {
  return async (event) => shapeScopes(event, env);
}
