import { createHmac } from 'node:crypto';
import { secureRandomBytes } from '../crypto/random';
import type { EngineDeps } from './context';
import type { PoolRecord } from './pools';
import {
  N,
  bigFromHex,
  claimSignature,
  parseSrpTimestamp,
  serverEphemeralAsync,
  serverKeyAsync,
  toHex,
  SrpError,
} from '../crypto/srp-math';
import { safeEqual } from '../crypto/compare';

/**
 * The pool's side of USER_SRP_AUTH (reference §4): InitiateAuth gets SRP_A and answers PASSWORD_VERIFIER
 * with SALT, SRP_B and an opaque SECRET_BLOCK; RespondToAuthChallenge proves the password by the HMAC
 * signature. The server secret b lives only in the (sealed, single-use) auth session.
 *
 * Unknown users (PreventUserExistenceErrors ENABLED) get a simulated salt and USER_ID_FOR_SRP, stable per
 * pool and name, and the same number of modular exponentiations as a real user, so neither the answers
 * nor their timing tell them apart; they fail at the verifier step.
 */
export const TIMESTAMP_SKEW_MS = 5 * 60_000;

export interface SrpChallenge {
  /** ChallengeParameters values. */
  salt: string;
  srpB: string;
  secretBlock: string;
  /** Session state: everything the verifier step needs. */
  state: SrpSessionState;
}

export interface SrpSessionState {
  A: string;
  b: string;
  B: string;
  secretBlock: string;
  /** Present for a simulated user: the stand-in verifier. */
  fakeVerifier?: string;
}

export class InvalidSrpA extends Error {}

/** Parses SRP_A; rejects non-hex values and A ≡ 0 (mod N), which would make the session key guessable. */
export function parseSrpA(text: string): bigint {
  let A: bigint;
  try {
    A = bigFromHex(text);
  } catch {
    throw new InvalidSrpA('SRP_A is not a hex number');
  }
  if (A % N === 0n) throw new InvalidSrpA('SRP_A mod N is 0');
  return A;
}

function pseudoRandom(deps: EngineDeps, purpose: string, pool: PoolRecord, name: string, bytes: number): Buffer {
  // A secret key derived from the master key: stable across restarts and instances, unguessable outside.
  const key = deps.box.digest(`${pool.id}\0${name}`, `srp-simulated:${purpose}`);
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < bytes; i++) out.push(createHmac('sha256', key).update(String(i)).digest());
  return Buffer.concat(out).subarray(0, bytes);
}

/** A stable simulated identity for a name that has no user behind it. */
export function simulatedIdentity(deps: EngineDeps, pool: PoolRecord, nameKey: string, typed: string): { salt: string; userIdForSrp: string } {
  const salt = pseudoRandom(deps, 'salt', pool, nameKey, 16).toString('hex');
  const usernameIsAttribute = (pool.config.UsernameAttributes ?? []).length > 0 && (typed.includes('@') || typed.startsWith('+'));
  let userIdForSrp = typed;
  if (usernameIsAttribute) {
    // Pools whose usernames are email/phone answer with the internal UUID username.
    const h = pseudoRandom(deps, 'uuid', pool, nameKey, 16);
    h[6] = (h[6]! & 0x0f) | 0x40;
    h[8] = (h[8]! & 0x3f) | 0x80;
    const hex = h.toString('hex');
    userIdForSrp = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return { salt, userIdForSrp };
}

/** A stand-in verifier for a simulated user: any value in range costs the same exponentiations. */
function simulatedVerifier(deps: EngineDeps, pool: PoolRecord, nameKey: string): bigint {
  const v = BigInt(`0x${pseudoRandom(deps, 'verifier', pool, nameKey, 384).toString('hex')}`) % N;
  return v < 2n ? 2n : v;
}

/** Step 1: B = k·v + g^b (on the crypto threads), a fresh SECRET_BLOCK, and the state to keep in the session. */
export async function startPasswordVerifier(
  deps: EngineDeps,
  pool: PoolRecord,
  A: bigint,
  subject: { verifier: bigint; salt: string } | { simulated: { nameKey: string; salt: string } },
): Promise<SrpChallenge> {
  const fake = 'simulated' in subject;
  const v = fake ? simulatedVerifier(deps, pool, subject.simulated.nameKey) : subject.verifier;
  const { b, B } = await serverEphemeralAsync(v);
  const secretBlock = secureRandomBytes(64).toString('base64');
  const salt = fake ? subject.simulated.salt : subject.salt;
  return {
    salt,
    srpB: toHex(B),
    secretBlock,
    state: { A: toHex(A), b: toHex(b), B: toHex(B), secretBlock, ...(fake ? { fakeVerifier: toHex(v) } : {}) },
  };
}

export type ClaimCheck = 'ok' | 'bad-timestamp' | 'stale' | 'mismatch';

/**
 * Step 2: checks PASSWORD_CLAIM_SIGNATURE over poolName ‖ USER_ID_FOR_SRP ‖ SECRET_BLOCK ‖ TIMESTAMP
 * with the session key only the password's owner can derive. Always does the full computation.
 */
export async function checkPasswordClaim(
  deps: EngineDeps,
  pool: PoolRecord,
  state: SrpSessionState,
  verifier: bigint | undefined,
  claim: { userIdForSrp: string; secretBlock: string; timestamp: string; signature: string },
): Promise<ClaimCheck> {
  const v = verifier ?? (state.fakeVerifier ? bigFromHex(state.fakeVerifier) : undefined);
  let expected = '';
  if (v !== undefined) {
    try {
      const key = await serverKeyAsync(bigFromHex(state.A), bigFromHex(state.B), bigFromHex(state.b), v);
      expected = claimSignature(key, pool.srpName, claim.userIdForSrp, claim.secretBlock, claim.timestamp);
    } catch (e) {
      if (!(e instanceof SrpError)) throw e;
    }
  }
  const when = parseSrpTimestamp(claim.timestamp);
  if (!when) return 'bad-timestamp';
  if (Math.abs(when.getTime() - deps.clock.now()) > TIMESTAMP_SKEW_MS) return 'stale';
  const blockOk = safeEqual(claim.secretBlock, state.secretBlock);
  const signatureOk = expected !== '' && safeEqual(claim.signature, expected);
  return blockOk && signatureOk && verifier !== undefined && !state.fakeVerifier ? 'ok' : 'mismatch';
}
