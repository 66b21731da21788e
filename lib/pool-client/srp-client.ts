import { bigFromHex, claimSignature, clientEphemeral, clientKey, computeX, srpTimestamp, toHex } from '../crypto/srp-math';

/**
 * The client side of Cognito's SRP, run by the hosted front on the server so the browser only ever
 * posts a plain form. Same math as amazon-cognito-identity-js, with a 256-bit ephemeral `a`.
 */
export interface SrpStart {
  a: bigint;
  /** SRP_A as the clients send it: lower-case hex, unpadded. */
  srpA: string;
}

export function startSrp(): SrpStart {
  const { a, A } = clientEphemeral();
  return { a, srpA: toHex(A) };
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

/** Answers PASSWORD_VERIFIER; throws SrpError when the server's B is degenerate. */
export function passwordClaim(
  start: SrpStart,
  poolId: string,
  params: PasswordVerifierParams,
  password: string,
  now: Date = new Date(),
): PasswordClaim {
  const poolName = poolId.slice(poolId.indexOf('_') + 1);
  const B = bigFromHex(params.SRP_B);
  const A = bigFromHex(start.srpA);
  const x = computeX(params.SALT, poolName, params.USER_ID_FOR_SRP, password);
  const key = clientKey(start.a, A, B, x);
  const timestamp = srpTimestamp(now);
  return {
    USERNAME: params.USER_ID_FOR_SRP,
    PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
    PASSWORD_CLAIM_SIGNATURE: claimSignature(key, poolName, params.USER_ID_FOR_SRP, params.SECRET_BLOCK, timestamp),
    TIMESTAMP: timestamp,
  };
}
