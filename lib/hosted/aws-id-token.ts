import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Transaction } from 'kysely';
import type { Database, Db } from '../db';
import type { SecretBox } from '../crypto/secretbox';
import { signRs256Async } from '../crypto/crypto-pool';

/**
 * AWS mode's OIDC ID token. A real Cognito pool cannot put the authorization request's `nonce` in its ID
 * token (triggers may not set `nonce` or `auth_time`), so Portico re-issues it: the pool's ID token is
 * verified against the pool's own JWKS first, then its claims are signed again by Portico's key with
 * `nonce`, `at_hash` of the access token that goes with it, the interactive `auth_time`, `aud` = the
 * client and `iss` = Portico's issuer for the pool. Access and refresh tokens stay the pool's.
 *
 * Portico's keys live in signing_keys (sealed like the engine's) under an owner no pool id can take;
 * the newest unretired one signs, and retired ones stay in the JWKS while tokens they signed may live.
 */
const KEY_OWNER = '@portico';
const KEY_USE = 'oidc-id';
const KEY_PURPOSE = 'portico-id-token-key';
/** Another instance's rotation reaches this one within this time. */
const KEY_RELOAD_MS = 5 * 60_000;
/** Longer than Cognito's longest ID-token validity (one day). */
export const RETIRED_LISTED_MS = 2 * 86_400_000;
/** Claims Portico sets itself; everything else the pool said is kept. */
const REPLACED = new Set(['iss', 'aud', 'azp', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'at_hash', 'c_hash', 'auth_time']);

export interface MintInput {
  poolId: string;
  clientId: string;
  /** Portico's issuer for the pool (PORTICO_URL's or a custom domain's). */
  issuer: string;
  poolIdToken: string;
  accessToken: string;
  nonce?: string;
  /** Seconds; the interactive sign-in. Unset (refresh): the pool's `auth_time`. */
  authTime?: number;
}

export interface PorticoIdTokens {
  mint(input: MintInput): Promise<string>;
  /** Portico's public keys: what verifies the ID tokens relying parties get in AWS mode. */
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
  /**
   * A new signing key, which signs from then on; the one it replaces stays listed for a while. Answers
   * the new key's kid and the kids it retired (none when a rotation running at the same moment on
   * another instance made the new key: both then answer that one).
   */
  rotate(): Promise<{ kid: string; retired: string[]; retiredListedUntil: number }>;
}

export interface IdTokenDeps {
  db: Db;
  box: SecretBox;
  now(): number;
  /** The issuer of the pool's own tokens; its JWKS is fetched from `{issuer}/.well-known/jwks.json`. */
  poolIssuer(poolId: string): string;
}

export class PoolTokenRejected extends Error {
  constructor(reason: string) {
    super(`the pool's ID token was rejected: ${reason}`);
    this.name = 'PoolTokenRejected';
  }
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** OIDC Core §3.1.3.6: the left half of SHA-256 of the access token's ASCII. */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** RS256 on the crypto threads (lib/crypto/crypto-pool.ts), not on the main thread. */
async function signJwt(claims: Record<string, unknown>, key: SigningKey): Promise<string> {
  const input = `${b64json({ kid: key.kid, alg: 'RS256', typ: 'JWT' })}.${b64json(claims)}`;
  return `${input}.${await signRs256Async(input, key.privateKey)}`;
}

export function createPorticoIdTokens(deps: IdTokenDeps): PorticoIdTokens {
  let current: { at: number; key: Promise<SigningKey> } | undefined;
  const poolKeySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  const activeRows = (db: Db | Transaction<Database> = deps.db) =>
    db
      .selectFrom('signing_keys')
      .selectAll()
      .where('pool_id', '=', KEY_OWNER)
      .where('key_use', '=', KEY_USE)
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc')
      .execute();

  /**
   * Adds an active key unless one is there already: the unique index on the active (owner, use) slot
   * (migration 0208_signing_key_slots) turns a second instance's insert into nothing, so instances
   * creating the first key together end up with one, which each re-reads.
   */
  async function insertKey(db: Db | Transaction<Database> = deps.db): Promise<void> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = `portico-${randomBytes(12).toString('base64url')}`;
    await db
      .insertInto('signing_keys')
      .values({
        kid,
        pool_id: KEY_OWNER,
        key_use: KEY_USE,
        private_enc: deps.box.seal(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, KEY_PURPOSE),
        public_jwk: JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }),
        created_at: deps.now(),
        retired_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async function loadKey(): Promise<SigningKey> {
    let rows = await activeRows();
    if (rows.length === 0) {
      await insertKey();
      rows = await activeRows();
    }
    const row = rows[0]!;
    return { kid: row.kid, privateKey: createPrivateKey(deps.box.openText(row.private_enc, KEY_PURPOSE)) };
  }

  function signingKey(): Promise<SigningKey> {
    if (!current || deps.now() - current.at > KEY_RELOAD_MS) {
      const key = loadKey();
      const entry = { at: deps.now(), key };
      current = entry;
      key.catch(() => {
        if (current === entry) current = undefined;
      });
    }
    return current.key;
  }

  function poolKeySet(poolId: string) {
    let set = poolKeySets.get(poolId);
    if (!set) {
      set = createRemoteJWKSet(new URL(`${deps.poolIssuer(poolId)}/.well-known/jwks.json`), { timeoutDuration: 5_000 });
      poolKeySets.set(poolId, set);
    }
    return set;
  }

  async function verifyPoolIdToken(input: MintInput): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(input.poolIdToken, poolKeySet(input.poolId), {
        algorithms: ['RS256'],
        issuer: deps.poolIssuer(input.poolId),
        audience: input.clientId,
        currentDate: new Date(deps.now()),
        clockTolerance: 60,
      }));
    } catch (e) {
      throw new PoolTokenRejected((e as { code?: string }).code ?? 'verification failed');
    }
    if (payload.token_use !== 'id') throw new PoolTokenRejected('token_use is not id');
    if (typeof payload.sub !== 'string') throw new PoolTokenRejected('no sub');
    return payload;
  }

  return {
    async mint(input) {
      const pool = await verifyPoolIdToken(input);
      const kept: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(pool)) if (!REPLACED.has(name)) kept[name] = value;
      const now = Math.floor(deps.now() / 1000);
      // The pool's ID-token validity (the app client's IdTokenValidity), counted from now.
      const validity = typeof pool.exp === 'number' && typeof pool.iat === 'number' ? Math.max(60, pool.exp - pool.iat) : 3600;
      const authTime = input.authTime ?? (typeof pool.auth_time === 'number' ? pool.auth_time : now);
      const claims: Record<string, unknown> = {
        ...kept,
        iss: input.issuer,
        aud: input.clientId,
        auth_time: authTime,
        ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
        at_hash: atHash(input.accessToken),
        iat: now,
        exp: now + validity,
        jti: randomUUID(),
      };
      return signJwt(claims, await signingKey());
    },

    async jwks() {
      await signingKey();
      const rows = await deps.db
        .selectFrom('signing_keys')
        .select(['public_jwk', 'retired_at'])
        .where('pool_id', '=', KEY_OWNER)
        .where('key_use', '=', KEY_USE)
        .orderBy('created_at')
        .execute();
      const since = deps.now() - RETIRED_LISTED_MS;
      return {
        keys: rows
          .filter((r) => r.retired_at === null || Number(r.retired_at) > since)
          .map((r) => JSON.parse(r.public_jwk) as Record<string, unknown>),
      };
    },

    async rotate() {
      // Retire and replace in one transaction: the slot holds one active key, and other instances
      // see either the old key or the new one, never none.
      const at = deps.now();
      const outcome = await deps.db.transaction().execute(async (tx) => {
        const before = await activeRows(tx);
        if (before.length > 0) {
          await tx
            .updateTable('signing_keys')
            .set({ retired_at: at })
            .where('kid', 'in', before.map((r) => r.kid))
            .where('retired_at', 'is', null)
            .execute();
        }
        await insertKey(tx);
        const [active] = await activeRows(tx);
        return {
          kid: active!.kid,
          retired: before.map((r) => r.kid).filter((kid) => kid !== active!.kid),
          retiredListedUntil: at + RETIRED_LISTED_MS,
        };
      });
      current = undefined;
      return outcome;
    },
  };
}
