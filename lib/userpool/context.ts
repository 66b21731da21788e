import type { Db } from '../db';
import type { SecretBox } from '../crypto/secretbox';
import type { SendLimits } from './send-limits';

export interface Clock {
  /** Epoch milliseconds. Tests move it; production uses Date.now. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface AdminCredentials {
  keyId: string;
  secret: string;
}

/** Everything an operation handler may touch. One per engine; handlers stay free of globals. */
export interface EngineDeps {
  db: Db;
  box: SecretBox;
  clock: Clock;
  /** Public base URL; the issuer of pool P is `${publicUrl}/${P}`. */
  publicUrl: string;
  region: string;
  admin: AdminCredentials;
  /** Environment given to the pool's built-in triggers, as a Lambda's variables (e.g. PORTICO_SSO_KEY). */
  triggerEnv?: Record<string, string>;
  /** Caps on codes sent per destination and per source IP (./send-limits); Portico's defaults when unset. */
  limits?: SendLimits;
}

export interface OpContext {
  deps: EngineDeps;
  operation: string;
  requestId: string;
  /** The caller's address for calls that came over the network; unset for calls made in process. */
  sourceIp?: string;
  /** True when the call arrived with a verified admin signature (or from inside the process). */
  admin: boolean;
}

export type Handler = (input: unknown, ctx: OpContext) => Promise<unknown>;

/** Types a handler with the AWS SDK's own request/response shapes; the wire has already validated input. */
export function op<I, O>(fn: (input: I, ctx: OpContext) => Promise<O>): Handler {
  return fn as Handler;
}

export function issuerFor(deps: EngineDeps, poolId: string): string {
  return `${deps.publicUrl}/${poolId}`;
}

export const nowSeconds = (deps: EngineDeps) => Math.floor(deps.clock.now() / 1000);
