import { randomUUID } from 'node:crypto';
import { CognitoError } from './errors';
import { isPublicOperation, modelOperation, validateInput } from './model/validate';
import { verifySigV4 } from './sigv4';
import { countSignIn } from '../observability/metrics';
import type { EngineDeps, Handler, OpContext } from './context';

/**
 * Cognito's JSON 1.1 wire protocol: `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`.
 * This is the engine's only entry point from outside — the Next route, the standalone server and the
 * hosted front's in-process transport all hand it the same bytes.
 */
export interface WireRequest {
  method: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  sourceIp?: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
export const MAX_BODY_BYTES = 1024 * 1024;

export const corsHeaders: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers':
    'content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization, cache-control, amz-sdk-invocation-id, amz-sdk-request',
  'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date',
  'access-control-max-age': '86400',
};

/** JSON for the wire: Dates become epoch seconds, as Cognito sends timestamps. */
function serialize(value: unknown): string {
  return JSON.stringify(value ?? {}, function replacer(this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key];
    if (original instanceof Date) return original.getTime() / 1000;
    return v;
  });
}

function errorResponse(err: CognitoError, requestId: string): WireResponse {
  return {
    status: err.status,
    headers: {
      ...corsHeaders,
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': `${err.type}:`,
    },
    body: JSON.stringify({ __type: err.type, message: err.message }),
  };
}

export interface WireOptions {
  deps: EngineDeps;
  handlers: Record<string, Handler>;
  /** Called for faults that are not Cognito errors; must not log request bodies (they hold secrets). */
  onInternalError?: (operation: string, error: unknown) => void;
}

/** The challenge a failed RespondToAuthChallenge answered, for the sign-in metric (parsed only then). */
function challengeOf(body: string, operation: string): string | undefined {
  if (!operation.endsWith('RespondToAuthChallenge')) return undefined;
  try {
    const name = (JSON.parse(body) as { ChallengeName?: unknown }).ChallengeName;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

export function createWireHandler(options: WireOptions): (req: WireRequest) => Promise<WireResponse> {
  const { deps, handlers } = options;
  return async function handle(req: WireRequest): Promise<WireResponse> {
    const requestId = randomUUID();
    if (req.method === 'OPTIONS') {
      return { status: 200, headers: { ...corsHeaders, 'x-amzn-requestid': requestId }, body: '' };
    }
    let operation = '';
    try {
      if (req.method !== 'POST') throw new CognitoError('UnknownOperationException', 'Only POST is supported.');
      if (Buffer.byteLength(req.body) > MAX_BODY_BYTES) {
        throw new CognitoError('SerializationException', 'Request body is too large.');
      }
      const target = req.headers['x-amz-target'] ?? '';
      if (!target.startsWith(TARGET_PREFIX)) {
        throw new CognitoError('UnknownOperationException', 'Missing or unknown X-Amz-Target header.');
      }
      operation = target.slice(TARGET_PREFIX.length);
      if (!modelOperation(operation)) throw new CognitoError('UnknownOperationException', `Unknown operation ${operation}.`);
      const handler = Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;
      let input: unknown;
      try {
        input = req.body.trim() === '' ? {} : JSON.parse(req.body);
      } catch {
        throw new CognitoError('SerializationException', 'The request body is not valid JSON.');
      }
      const admin = !isPublicOperation(operation);
      // Public operations ignore a signature (older SDKs sign them); admin ones require a valid one.
      // Signature freshness is judged by the real clock: it is about the caller's clock, not the pool's.
      if (admin) verifySigV4({ method: req.method, headers: req.headers, body: req.body }, deps.admin, Date.now());
      validateInput(operation, input);
      if (!handler) {
        throw new CognitoError('UnsupportedOperationException', `${operation} is not supported by Portico's embedded user pool.`);
      }
      const ctx: OpContext = { deps, operation, requestId, sourceIp: req.sourceIp, admin };
      const output = await handler(input, ctx);
      countSignIn(operation, (output as { ChallengeName?: string }).ChallengeName ? 'challenge' : 'tokens', (output as { ChallengeName?: string }).ChallengeName);
      return {
        status: 200,
        headers: { ...corsHeaders, 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: serialize(output),
      };
    } catch (err) {
      countSignIn(operation, err instanceof CognitoError ? err.type : 'InternalErrorException', challengeOf(req.body, operation));
      if (err instanceof CognitoError) return errorResponse(err, requestId);
      options.onInternalError?.(operation, err);
      return errorResponse(new CognitoError('InternalErrorException', 'Internal server error.', 500), requestId);
    }
  };
}
