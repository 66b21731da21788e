import type { EngineDeps } from './context';
import type { PoolRecord } from './pools';
import { errors, messages } from './errors';
import { ssoTriggers } from '../triggers/sso';
import type {
  CreateAuthChallengeEvent,
  DefineAuthChallengeEvent,
  StringMap,
  TriggerHandler,
  VerifyAuthChallengeResponseEvent,
} from '../triggers/events';
import type { PreTokenGenerationV2Event } from '../triggers/pre-token';

/**
 * The pool's custom-auth triggers, resolved from its LambdaConfig through a local registry: the embedded
 * pool cannot call AWS Lambda, so an ARN is honoured only when its function name is one the process
 * knows. Portico's SSO triggers (lib/triggers/sso.ts) are known as `portico-sso-define`,
 * `portico-sso-create` and `portico-sso-verify`, and they are the DEFAULT: a pool whose LambdaConfig
 * names none of the three custom-auth triggers runs them, so hosted single sign-on works on every
 * embedded pool. An embedding process may register its own functions with registerLambda. Any other ARN
 * leaves custom auth "not configured", as before.
 *
 * Invocation follows Cognito (reference §7): the handler gets a copy of the event and returns it with
 * `response` filled in; a throw is UserLambdaValidationException "<Trigger> failed with error <msg>.",
 * a malformed result InvalidLambdaResponseException.
 */
export type CustomAuthTrigger = 'DefineAuthChallenge' | 'CreateAuthChallenge' | 'VerifyAuthChallengeResponse';

export const BUILT_IN_FUNCTIONS: Record<CustomAuthTrigger, string> = {
  DefineAuthChallenge: 'portico-sso-define',
  CreateAuthChallenge: 'portico-sso-create',
  VerifyAuthChallengeResponse: 'portico-sso-verify',
};

export type LocalLambda =
  | TriggerHandler<DefineAuthChallengeEvent>
  | TriggerHandler<CreateAuthChallengeEvent>
  | TriggerHandler<VerifyAuthChallengeResponseEvent>
  | TriggerHandler<PreTokenGenerationV2Event>;

/** Portico's scope-shaping Pre Token Generation V2 trigger (lib/triggers/pre-token.ts, ./pre-token.ts). */
export const BUILT_IN_PRE_TOKEN_FUNCTION = 'portico-pre-token';

const local = new Map<string, LocalLambda>();

/** Makes a function name invocable from LambdaConfig ARNs in this process; returns the undo. */
export function registerLambda(functionName: string, handler: LocalLambda): () => void {
  if (Object.values(BUILT_IN_FUNCTIONS).includes(functionName) || functionName === BUILT_IN_PRE_TOKEN_FUNCTION) throw new Error(`${functionName} is Portico's own trigger`);
  local.set(functionName, handler);
  return () => {
    if (local.get(functionName) === handler) local.delete(functionName);
  };
}

/** The handler an embedding process registered under this function name, if any. */
export function localLambda(functionName: string): LocalLambda | undefined {
  return local.get(functionName);
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → name. */
export function lambdaFunctionName(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
  return parts[6] || undefined;
}

export interface DefineResult {
  challengeName?: string;
  issueTokens: boolean;
  failAuthentication: boolean;
}

export interface CreateResult {
  publicChallengeParameters: StringMap;
  privateChallengeParameters: StringMap;
  challengeMetadata?: string;
}

export interface CustomAuthRunner {
  /** Portico's own Verify trigger decides: only then may the tokens carry the asserted auth_time. */
  builtInVerify: boolean;
  define(event: DefineAuthChallengeEvent): Promise<DefineResult>;
  create(event: CreateAuthChallengeEvent): Promise<CreateResult>;
  verify(event: VerifyAuthChallengeResponseEvent): Promise<boolean>;
}

const TRIGGERS: CustomAuthTrigger[] = ['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse'];

/** The pool's custom-auth triggers, or Cognito's "not configured" error. */
export function customAuthFor(deps: EngineDeps, pool: PoolRecord): CustomAuthRunner {
  const config = pool.config.LambdaConfig ?? {};
  const configured = TRIGGERS.some((t) => config[t]);
  const builtIn = ssoTriggers({ env: deps.triggerEnv ?? {}, now: () => deps.clock.now() });
  const builtIns: Record<CustomAuthTrigger, LocalLambda> = {
    DefineAuthChallenge: builtIn.define,
    CreateAuthChallenge: builtIn.create,
    VerifyAuthChallengeResponse: builtIn.verify,
  };
  const resolve = (trigger: CustomAuthTrigger): { fn: LocalLambda; builtIn: boolean } => {
    if (!configured) return { fn: builtIns[trigger], builtIn: true };
    const name = lambdaFunctionName(config[trigger] ?? '');
    if (name === BUILT_IN_FUNCTIONS[trigger]) return { fn: builtIns[trigger], builtIn: true };
    const fn = name ? local.get(name) : undefined;
    if (!fn) throw errors.invalidParameter(messages.customAuthNotConfigured);
    return { fn, builtIn: false };
  };
  const define = resolve('DefineAuthChallenge');
  const create = resolve('CreateAuthChallenge');
  const verify = resolve('VerifyAuthChallengeResponse');
  return {
    builtInVerify: verify.builtIn,
    async define(event) {
      return defineResult(await invoke('DefineAuthChallenge', define.fn as TriggerHandler<DefineAuthChallengeEvent>, event));
    },
    async create(event) {
      return createResult(await invoke('CreateAuthChallenge', create.fn as TriggerHandler<CreateAuthChallengeEvent>, event));
    },
    async verify(event) {
      return verifyResult(await invoke('VerifyAuthChallengeResponse', verify.fn as TriggerHandler<VerifyAuthChallengeResponseEvent>, event));
    },
  };
}

export async function invoke<E extends { response: object }>(trigger: string, fn: TriggerHandler<E>, event: E): Promise<Record<string, unknown>> {
  let out: unknown;
  try {
    out = await fn(structuredClone(event));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw errors.userLambdaValidation(messages.lambdaFailed(trigger, message));
  }
  const response = isObject(out) ? out['response'] : undefined;
  if (!isObject(response)) throw badOutput();
  return response;
}

export const badOutput = () => errors.invalidLambdaResponse(messages.unrecognizableLambdaOutput);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optional<T>(v: unknown, check: (v: unknown) => v is T): T | undefined {
  if (v === undefined || v === null) return undefined;
  if (!check(v)) throw badOutput();
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isStringMap = (v: unknown): v is StringMap => isObject(v) && Object.values(v).every(isString);

function defineResult(r: Record<string, unknown>): DefineResult {
  const challengeName = optional(r['challengeName'], isString);
  const issueTokens = optional(r['issueTokens'], isBoolean) ?? false;
  const failAuthentication = optional(r['failAuthentication'], isBoolean) ?? false;
  if (!issueTokens && !failAuthentication && !challengeName) throw badOutput();
  return { ...(challengeName ? { challengeName } : {}), issueTokens, failAuthentication };
}

function createResult(r: Record<string, unknown>): CreateResult {
  const challengeMetadata = optional(r['challengeMetadata'], isString);
  return {
    publicChallengeParameters: optional(r['publicChallengeParameters'], isStringMap) ?? {},
    privateChallengeParameters: optional(r['privateChallengeParameters'], isStringMap) ?? {},
    ...(challengeMetadata !== undefined ? { challengeMetadata } : {}),
  };
}

function verifyResult(r: Record<string, unknown>): boolean {
  return optional(r['answerCorrect'], isBoolean) === true;
}
