import { compactVerify, createLocalJWKSet, decodeJwt, type JSONWebKeySet } from 'jose';
import type { HostedRuntime } from './runtime';
import { poolOfHostedIssuer } from '../domains/hosted';

/**
 * The `id_token_hint` of an OIDC RP-initiated logout (security checklist §12, check 97). A hint counts
 * only when it is an ID token this Portico issued: RS256 signature by a key in the JWKS of the pool its
 * `iss` names, `iss` exactly that pool's issuer, `token_use` "id". An expired hint still counts (the RP
 * logs out after its tokens ran out); `alg: none`, HS256 and keys of other pools do not.
 */
export interface LogoutHint {
  poolId: string;
  /** The client the ID token was issued to. */
  clientId: string;
  sub: string;
}

const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;
/** ID tokens are a few kilobytes; anything far larger is not one. */
const MAX_HINT_LENGTH = 16_384;

/** A pool's ID tokens carry PORTICO_URL's issuer or one of its custom domains' (lib/domains): both are its own. */
async function poolOfIssuer(rt: HostedRuntime, iss: unknown): Promise<string | undefined> {
  if (typeof iss !== 'string') return undefined;
  const poolId = await poolOfHostedIssuer(rt, iss);
  return poolId && POOL_ID.test(poolId) ? poolId : undefined;
}

export async function verifyLogoutHint(rt: HostedRuntime, hint: string | undefined): Promise<LogoutHint | undefined> {
  if (!hint || hint.length > MAX_HINT_LENGTH) return undefined;
  let unverified;
  try {
    unverified = decodeJwt(hint);
  } catch {
    return undefined;
  }
  const poolId = await poolOfIssuer(rt, unverified.iss);
  // Never ask for the keys of a pool that does not exist (the JWKS of the embedded pool is made on demand).
  if (!poolId || !(await rt.directory.pool(poolId))) return undefined;
  try {
    const keys = createLocalJWKSet((await rt.jwks(poolId)) as unknown as JSONWebKeySet);
    // Signature only: an expired hint is acceptable, so `exp` is not checked; the claims are checked below.
    const { payload } = await compactVerify(hint, keys, { algorithms: ['RS256'] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (claims.iss !== unverified.iss || claims.token_use !== 'id') return undefined;
    if (typeof claims.aud !== 'string' || typeof claims.sub !== 'string') return undefined;
    return { poolId, clientId: claims.aud, sub: claims.sub };
  } catch {
    return undefined;
  }
}
