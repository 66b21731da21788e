import {
  bigFromHex,
  claimSignature,
  clientEphemeral,
  clientEphemeralAsync,
  clientKey,
  clientKeyAsync,
  computeX,
  srpTimestamp,
  toHex,
  type ClientEphemeral,
} from '../crypto/srp-math';

/**
 * The client side of Cognito's SRP, run by the hosted front on the server so the browser only ever
 * posts a plain form. Same math as amazon-cognito-identity-js, with a 256-bit ephemeral `a`.
 *
 * The request path uses the async forms (exponentiations on the crypto threads); the sync forms are
 * for tests and benchmarks that drive the pool as a plain client.
 */
export interface SrpStart {
  a: bigint;
  /** SRP_A as the clients send it: lower-case hex, unpadded. */
  srpA: string;
}

function toStart({ a, A }: ClientEphemeral): SrpStart {
  return { a, srpA: toHex(A) };
}

export function startSrp(): SrpStart {
  return toStart(clientEphemeral());
}

/** a and A = g^a come ready-made from the crypto threads' supply (lib/crypto/crypto-pool, RandomPowers). */
export async function startSrpAsync(): Promise<SrpStart> {
  return toStart(await clientEphemeralAsync());
}

export interface PasswordVerifierParams {
  SALT: string;
  SRP_B: string;
  SECRET_BLOCK: string;
  USER_ID_FOR_SRP: string;
}

export interface PasswordClaim {
  USERNAME: string;
  PASSWORD_CLAIM_SECRET_BLOCK: string;
  PASSWORD_CLAIM_SIGNATURE: string;
  TIMESTAMP: string;
}

function claimWith(key: Buffer, poolName: string, params: PasswordVerifierParams, now: Date): PasswordClaim {
  const timestamp = srpTimestamp(now);
  return {
    USERNAME: params.USER_ID_FOR_SRP,
    PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
    PASSWORD_CLAIM_SIGNATURE: claimSignature(key, poolName, params.USER_ID_FOR_SRP, params.SECRET_BLOCK, timestamp),
    TIMESTAMP: timestamp,
  };
}

function poolNameOf(poolId: string): string {
  return poolId.slice(poolId.indexOf('_') + 1);
}

/** Answers PASSWORD_VERIFIER; throws SrpError when the server's B is degenerate. */
export function passwordClaim(
  start: SrpStart,
  poolId: string,
  params: PasswordVerifierParams,
  password: string,
  now: Date = new Date(),
): PasswordClaim {
  const poolName = poolNameOf(poolId);
  const x = computeX(params.SALT, poolName, params.USER_ID_FOR_SRP, password);
  const key = clientKey(start.a, bigFromHex(start.srpA), bigFromHex(params.SRP_B), x);
  return claimWith(key, poolName, params, now);
}

/** passwordClaim with the exponentiation on the crypto threads; rejects with SrpError when B is degenerate. */
export async function passwordClaimAsync(
  start: SrpStart,
  poolId: string,
  params: PasswordVerifierParams,
  password: string,
  now: Date = new Date(),
): Promise<PasswordClaim> {
  const poolName = poolNameOf(poolId);
  const x = computeX(params.SALT, poolName, params.USER_ID_FOR_SRP, password);
  const key = await clientKeyAsync(start.a, bigFromHex(start.srpA), bigFromHex(params.SRP_B), x);
  return claimWith(key, poolName, params, now);
}
