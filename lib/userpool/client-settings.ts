import type { CreateUserPoolClientRequest, TokenValidityUnitsType } from '@aws-sdk/client-cognito-identity-provider';
import { errors } from './errors';
import type { ClientConfig } from './clients';
import type { PoolRecord } from './pools';
import { schemaOf } from './attributes';

/**
 * An app client's settings as Cognito checks and stores them (Create and Update take the same fields; an
 * Update that leaves a field out sets it back to the default, as Cognito documents).
 */
export type ClientSettingsInput = Omit<CreateUserPoolClientRequest, 'UserPoolId' | 'ClientName' | 'GenerateSecret' | 'ClientSecret'>;

export const RESERVED_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'] as const;
const LEGACY_FLOWS = new Set(['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
const MINUTE = 60;
const DAY = 86400;

/** Seconds, with Cognito's default units (hours for ID/access, days for refresh). */
export function validitySeconds(value: number, unit: string | undefined, fallbackUnit: 'hours' | 'days'): number {
  return value * UNIT_SECONDS[unit ?? fallbackUnit]!;
}

function checkValidity(input: ClientSettingsInput): void {
  const units: TokenValidityUnitsType = input.TokenValidityUnits ?? {};
  const range = (name: string, seconds: number, min: number, max: number) => {
    if (seconds < min || seconds > max) {
      throw errors.invalidParameter(`Invalid range for token validity: ${name} must be between ${describe(min)} and ${describe(max)}.`);
    }
  };
  if (input.AccessTokenValidity !== undefined) {
    range('AccessTokenValidity', validitySeconds(input.AccessTokenValidity, units.AccessToken, 'hours'), 5 * MINUTE, DAY);
  }
  if (input.IdTokenValidity !== undefined) {
    range('IdTokenValidity', validitySeconds(input.IdTokenValidity, units.IdToken, 'hours'), 5 * MINUTE, DAY);
  }
  // 0 means "the default" (30 days) for refresh tokens.
  if (input.RefreshTokenValidity !== undefined && input.RefreshTokenValidity !== 0) {
    range('RefreshTokenValidity', validitySeconds(input.RefreshTokenValidity, units.RefreshToken, 'days'), 60 * MINUTE, 3650 * DAY);
  }
}

function describe(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} day${seconds === DAY ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  return `${seconds / MINUTE} minutes`;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:']);

/** Cognito's redirect URL rule: absolute, no fragment, HTTPS except loopback http; app schemes allowed. */
export function redirectUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.includes('#')) return 'must not contain a fragment';
  if (FORBIDDEN_SCHEMES.has(parsed.protocol)) return `must not use the ${parsed.protocol.slice(0, -1)} scheme`;
  if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname)) return 'must use HTTPS unless it points at localhost';
  return undefined;
}

function checkUrls(name: string, urls: string[] | undefined): void {
  for (const url of urls ?? []) {
    const problem = redirectUrlProblem(url);
    if (problem) throw errors.invalidParameter(`Invalid ${name}: ${url} ${problem}.`);
  }
}

function checkFlows(flows: string[] | undefined): void {
  if (!flows || flows.length === 0) return;
  const legacy = flows.some((f) => LEGACY_FLOWS.has(f));
  const modern = flows.some((f) => f.startsWith('ALLOW_'));
  if (legacy && modern) {
    throw errors.invalidParameter('ExplicitAuthFlows cannot mix legacy values with ALLOW_ prefixed values.');
  }
}

/** Scopes a pool knows: the reserved ones and `<resource server>/<scope>` of its resource servers. */
export type ScopeCatalog = Set<string>;

function checkOAuth(input: ClientSettingsInput, hasSecret: boolean, scopes: ScopeCatalog): void {
  const flows = input.AllowedOAuthFlows ?? [];
  const requested = input.AllowedOAuthScopes ?? [];
  for (const scope of requested) {
    if (!(RESERVED_SCOPES as readonly string[]).includes(scope) && !scopes.has(scope)) {
      throw errors.scopeDoesNotExist(`Invalid scope requested: ${scope}`);
    }
  }
  if (flows.includes('client_credentials')) {
    if (flows.length > 1) {
      throw errors.invalidOAuthFlow('client_credentials flow can not be selected along with code flow or implicit flow.');
    }
    if (!hasSecret) {
      throw errors.invalidOAuthFlow('client_credentials flow can not be selected if client does not have a client secret.');
    }
    const reserved = requested.filter((s) => (RESERVED_SCOPES as readonly string[]).includes(s));
    if (reserved.length > 0) {
      throw errors.invalidOAuthFlow(`${reserved[0]} scope can not be selected along with client_credentials flow.`);
    }
  }
  if (input.AllowedOAuthFlowsUserPoolClient && (flows.length === 0 || requested.length === 0)) {
    throw errors.invalidParameter('AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.');
  }
  if (input.DefaultRedirectURI !== undefined && !(input.CallbackURLs ?? []).includes(input.DefaultRedirectURI)) {
    throw errors.invalidParameter('DefaultRedirectURI must be one of the CallbackURLs.');
  }
}

function checkAttributePermissions(pool: PoolRecord, input: ClientSettingsInput, creating: boolean): void {
  const known = new Set(schemaOf(pool).map((s) => s.Name!));
  const verb = creating ? 'creating' : 'updating';
  for (const a of input.ReadAttributes ?? []) {
    if (!known.has(a.replace(/^dev:/, ''))) throw errors.invalidParameter(`Invalid read attributes specified while ${verb} a client`);
  }
  for (const a of input.WriteAttributes ?? []) {
    if (!known.has(a.replace(/^dev:/, '')) || a === 'sub') {
      throw errors.invalidParameter(`Invalid write attributes specified while ${verb} a client`);
    }
  }
}

function checkProviders(pool: PoolRecord, providers: string[] | undefined): void {
  for (const p of providers ?? []) {
    if (p !== 'COGNITO') throw errors.invalidParameter(`The provider ${p} does not exist for User Pool ${pool.id}`);
  }
}

/** Validates the settings and returns the stored configuration with Cognito's defaults. */
export function buildClientConfig(
  pool: PoolRecord,
  input: ClientSettingsInput,
  options: { hasSecret: boolean; scopes: ScopeCatalog; creating: boolean },
): ClientConfig {
  checkFlows(input.ExplicitAuthFlows);
  checkValidity(input);
  checkUrls('CallbackURLs', input.CallbackURLs);
  checkUrls('LogoutURLs', input.LogoutURLs);
  checkOAuth(input, options.hasSecret, options.scopes);
  checkAttributePermissions(pool, input, options.creating);
  checkProviders(pool, input.SupportedIdentityProviders);

  const config: ClientConfig = {
    RefreshTokenValidity: input.RefreshTokenValidity || 30,
    TokenValidityUnits: input.TokenValidityUnits ?? {},
    AllowedOAuthFlowsUserPoolClient: input.AllowedOAuthFlowsUserPoolClient ?? false,
    PreventUserExistenceErrors: input.PreventUserExistenceErrors ?? 'LEGACY',
    EnableTokenRevocation: input.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData ?? false,
    AuthSessionValidity: input.AuthSessionValidity ?? 3,
  };
  const optional = {
    AccessTokenValidity: input.AccessTokenValidity,
    IdTokenValidity: input.IdTokenValidity,
    ReadAttributes: input.ReadAttributes,
    WriteAttributes: input.WriteAttributes,
    ExplicitAuthFlows: input.ExplicitAuthFlows,
    SupportedIdentityProviders: input.SupportedIdentityProviders,
    CallbackURLs: input.CallbackURLs,
    LogoutURLs: input.LogoutURLs,
    DefaultRedirectURI: input.DefaultRedirectURI,
    AllowedOAuthFlows: input.AllowedOAuthFlows,
    AllowedOAuthScopes: input.AllowedOAuthScopes,
    AnalyticsConfiguration: input.AnalyticsConfiguration,
    RefreshTokenRotation: input.RefreshTokenRotation,
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) (config as Record<string, unknown>)[k] = Array.isArray(v) ? [...new Set(v)] : v;
  }
  return config;
}
