import { z } from 'zod';
import type { EngineDeps } from './context';
import type { PoolRecord } from './pools';
import type { ClientRecord } from './clients';
import type { UserRecord } from './users';
import type { GroupClaims } from './groups';
import { BUILT_IN_PRE_TOKEN_FUNCTION, badOutput, invoke, lambdaFunctionName, localLambda } from './triggers';
import type { TriggerHandler } from '../triggers/events';
import {
  preTokenTrigger,
  type ClaimValue,
  type ClaimsAndScopeOverrideDetails,
  type PreTokenGenerationSource,
  type PreTokenGenerationV2Event,
} from '../triggers/pre-token';

/**
 * The pool's Pre Token Generation trigger, version 2 or 3 (reference §7): Cognito's event before every
 * issuance — sign-in and refresh — and its answer applied to the claims. Like the custom-auth triggers
 * (./triggers.ts), the ARN in LambdaConfig.PreTokenGenerationConfig runs only when its function name is
 * known here: `portico-pre-token` (Portico's scope shaping) or one an embedding process registered. Any
 * other ARN, and a V1_0 configuration, leaves the tokens as before: the embedded pool cannot call AWS.
 */
export interface TokenGeneration {
  source: PreTokenGenerationSource;
  /** Only for the calls Cognito passes it on (RespondToAuthChallenge, GetTokensFromRefreshToken). */
  clientMetadata?: Record<string, string>;
}

type PreTokenHandler = TriggerHandler<PreTokenGenerationV2Event>;

export function preTokenTriggerFor(deps: EngineDeps, pool: PoolRecord): { handler: PreTokenHandler; version: string } | undefined {
  const config = pool.config.LambdaConfig?.PreTokenGenerationConfig;
  if (!config?.LambdaArn || (config.LambdaVersion !== 'V2_0' && config.LambdaVersion !== 'V3_0')) return undefined;
  const name = lambdaFunctionName(config.LambdaArn);
  if (!name) return undefined;
  const version = config.LambdaVersion === 'V3_0' ? '3' : '2';
  if (name === BUILT_IN_PRE_TOKEN_FUNCTION) return { handler: preTokenTrigger(deps.triggerEnv ?? {}), version };
  const handler = localLambda(name) as PreTokenHandler | undefined;
  return handler ? { handler, version } : undefined;
}

/**
 * A pool with a runnable V2 trigger behaves as Cognito does: the trigger, not ClientMetadata, decides
 * the scopes (Portico's own trigger reads 'portico:scope' itself).
 */
export function scopesShapedByTrigger(deps: EngineDeps, pool: PoolRecord): boolean {
  return preTokenTriggerFor(deps, pool) !== undefined;
}

export interface PreTokenInput {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  groups: GroupClaims;
  scopes: string[];
  generation: TokenGeneration;
}

/** Runs the pool's trigger, if any; undefined when there is none or it changed nothing. */
export async function runPreTokenGeneration(deps: EngineDeps, input: PreTokenInput): Promise<ClaimsAndScopeOverrideDetails | undefined> {
  const trigger = preTokenTriggerFor(deps, input.pool);
  if (!trigger) return undefined;
  const { pool, client, user, groups, generation } = input;
  const event: PreTokenGenerationV2Event = {
    version: trigger.version,
    triggerSource: generation.source,
    region: deps.region,
    userPoolId: pool.id,
    userName: user.username,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: client.clientId },
    request: {
      userAttributes: { ...user.attributes, 'cognito:user_status': user.status },
      groupConfiguration: { groupsToOverride: groups.groups, iamRolesToOverride: groups.roles, preferredRole: groups.preferredRole ?? null },
      scopes: [...input.scopes],
      ...(generation.clientMetadata ? { clientMetadata: generation.clientMetadata } : {}),
    },
    response: { claimsAndScopeOverrideDetails: null },
  };
  const response = await invoke('PreTokenGeneration', trigger.handler, event);
  const parsed = responseSchema.safeParse(response);
  if (!parsed.success) throw badOutput();
  return parsed.data.claimsAndScopeOverrideDetails ?? undefined;
}

const claimValue: z.ZodType<ClaimValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(claimValue), z.record(z.string(), claimValue)]),
);
const names = z.array(z.string()).nullish();
// Cognito refuses a scope with whitespace in it: it would split into several in the `scope` claim.
const scopeNames = z.array(z.string().regex(/^[\x21-\x7e]+$/)).nullish();
const claims = { claimsToAddOrOverride: z.record(z.string().min(1), claimValue).nullish(), claimsToSuppress: names };
const responseSchema = z.object({
  claimsAndScopeOverrideDetails: z
    .object({
      idTokenGeneration: z.object(claims).nullish(),
      accessTokenGeneration: z.object({ ...claims, scopesToAdd: scopeNames, scopesToSuppress: scopeNames }).nullish(),
      groupOverrideDetails: z.object({ groupsToOverride: names, iamRolesToOverride: names, preferredRole: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

/** Claims no trigger may add, change or remove (reference §7); an attempt is ignored. */
const ID_RESERVED = new Set([
  'acr',
  'amr',
  'aud',
  'at_hash',
  'auth_time',
  'azp',
  'cognito:username',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'sub',
  'token_use',
  'event_id',
  // Groups and roles change only through groupOverrideDetails.
  'cognito:groups',
  'cognito:roles',
  'cognito:preferred_role',
]);
const ACCESS_RESERVED = new Set([...ID_RESERVED, 'client_id', 'scope', 'username', 'version', 'device_key']);

function applyClaims(target: Record<string, unknown>, reserved: Set<string>, g: { claimsToAddOrOverride?: Record<string, ClaimValue> | null; claimsToSuppress?: string[] | null } | null | undefined): void {
  if (!g) return;
  for (const [name, value] of Object.entries(g.claimsToAddOrOverride ?? {})) if (!reserved.has(name)) target[name] = value;
  // Suppression wins over an addition of the same claim: the narrower token is the safer reading.
  for (const name of g.claimsToSuppress ?? []) if (!reserved.has(name)) delete target[name];
}

function applyGroups(target: Record<string, unknown>, d: ClaimsAndScopeOverrideDetails, withRoles: boolean): void {
  const g = d.groupOverrideDetails;
  if (!g) return;
  const set = (claim: string, list: string[] | null | undefined) => {
    if (list === undefined || list === null) return;
    if (list.length > 0) target[claim] = [...list];
    else delete target[claim];
  };
  set('cognito:groups', g.groupsToOverride);
  if (!withRoles) return;
  set('cognito:roles', g.iamRolesToOverride);
  if (g.preferredRole === undefined) return;
  if (g.preferredRole) target['cognito:preferred_role'] = g.preferredRole;
  else delete target['cognito:preferred_role'];
}

export function applyToAccessToken(claims: Record<string, unknown>, d: ClaimsAndScopeOverrideDetails | undefined): void {
  if (!d) return;
  applyGroups(claims, d, false);
  const a = d.accessTokenGeneration;
  applyClaims(claims, ACCESS_RESERVED, a);
  if (!a) return;
  const scopes = String(claims['scope'] ?? '').split(' ').filter((s) => s !== '');
  for (const s of a.scopesToAdd ?? []) if (!scopes.includes(s)) scopes.push(s);
  const suppressed = new Set(a.scopesToSuppress ?? []);
  claims['scope'] = scopes.filter((s) => !suppressed.has(s)).join(' ');
}

export function applyToIdToken(claims: Record<string, unknown>, d: ClaimsAndScopeOverrideDetails | undefined): void {
  if (!d) return;
  applyGroups(claims, d, true);
  applyClaims(claims, ID_RESERVED, d.idTokenGeneration);
}
