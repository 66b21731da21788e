import { generateKeyPairSync, createPrivateKey, createPublicKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { randomToken } from '../crypto/random';
import { jwtVerify, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { issuerFor, type EngineDeps } from './context';
import { poolOfIssuer, registeredBaseUrl } from '../domains/store';
import { issuerAt } from '../domains/site';
import { errors, messages } from './errors';
import { findPool, type PoolRecord } from './pools';
import { tokenValidity, type ClientRecord } from './clients';
import { findUserByUsername, type UserRecord } from './users';
import { groupClaimsFor } from './groups';
import { sha256Base64Url } from '../crypto/secretbox';
import { signRs256Async } from '../crypto/crypto-pool';
import { atHash, attributeSelector, parseScopes } from './oauth-scopes';
import { applyToAccessToken, applyToIdToken, runPreTokenGeneration, type TokenGeneration } from './pre-token';
import { prepared, writeAll } from '../db/prepared';
import type { Db } from '../db';

/**
 * RS256 tokens with Cognito's claims (reference §5). Each pool has its own keys — one for ID tokens, one
 * for access tokens, as Cognito — generated on first use, sealed at rest, listed in the pool's JWKS
 * (which can list retired keys too, for rotation overlap). Refresh tokens are opaque random strings,
 * stored only as hashes, each belonging to a token family named by the `origin_jti` its tokens carry.
 */
const KEY_PURPOSE = 'signing-key';
type KeyUse = 'id' | 'access';

interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const keyCache = new WeakMap<EngineDeps, Map<string, Promise<Record<KeyUse, LoadedKey>>>>();

/**
 * Adds the pool's key for `use` unless an active one is there: instances using a pool for the first
 * time together each try, the unique index on the active (pool, use) slot (migration
 * 0208_signing_key_slots) lets one insert stand and turns the others' into nothing, and every
 * instance then re-reads the same key.
 */
async function generateKey(deps: EngineDeps, poolId: string, use: KeyUse): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `${use}-${randomBytes(12).toString('base64url')}`;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  await deps.db
    .insertInto('signing_keys')
    .values({
      kid,
      pool_id: poolId,
      key_use: use,
      private_enc: deps.box.seal(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, KEY_PURPOSE),
      public_jwk: JSON.stringify(jwk),
      created_at: deps.clock.now(),
      retired_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

async function loadKeys(deps: EngineDeps, poolId: string): Promise<Record<KeyUse, LoadedKey>> {
  const read = () =>
    deps.db.selectFrom('signing_keys').selectAll().where('pool_id', '=', poolId).where('retired_at', 'is', null).orderBy('created_at', 'desc').execute();
  let rows = await read();
  for (const use of ['id', 'access'] as const) {
    if (!rows.some((r) => r.key_use === use)) await generateKey(deps, poolId, use);
  }
  rows = await read();
  const pick = (use: KeyUse): LoadedKey => {
    const row = rows.find((r) => r.key_use === use)!;
    const privateKey = createPrivateKey(deps.box.openText(row.private_enc, KEY_PURPOSE));
    return { kid: row.kid, privateKey, publicKey: createPublicKey(privateKey) };
  };
  return { id: pick('id'), access: pick('access') };
}

export function poolKeys(deps: EngineDeps, poolId: string): Promise<Record<KeyUse, LoadedKey>> {
  let perDeps = keyCache.get(deps);
  if (!perDeps) keyCache.set(deps, (perDeps = new Map()));
  let keys = perDeps.get(poolId);
  if (!keys) {
    keys = loadKeys(deps, poolId);
    keys.catch(() => perDeps!.delete(poolId));
    perDeps.set(poolId, keys);
  }
  return keys;
}

export async function jwks(deps: EngineDeps, poolId: string): Promise<{ keys: Record<string, unknown>[] }> {
  await poolKeys(deps, poolId);
  const rows = await deps.db.selectFrom('signing_keys').select(['public_jwk']).where('pool_id', '=', poolId).orderBy('created_at').execute();
  return { keys: rows.map((r) => JSON.parse(r.public_jwk) as Record<string, unknown>) };
}

export function forgetPoolKeys(deps: EngineDeps, poolId: string): void {
  keyCache.get(deps)?.delete(poolId);
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

const insertFamily = prepared(
  (db: Db, originJti: string, poolId: string, clientId: string, usernameKey: string, authTime: number, now: number, expiresAt: number, scopes: string | null, issuer: string | null) =>
    db.insertInto('token_families').values({
      origin_jti: originJti,
      pool_id: poolId,
      client_id: clientId,
      username_key: usernameKey,
      auth_time: authTime,
      created_at: now,
      expires_at: expiresAt,
      revoked_at: null,
      scopes,
      issuer,
    }),
);
const insertRefreshToken = prepared((db: Db, digest: string, originJti: string, now: number, expiresAt: number) =>
  db.insertInto('refresh_tokens').values({ token_digest: digest, origin_jti: originJti, created_at: now, expires_at: expiresAt, rotated_at: null }),
);

/**
 * A compact RS256 JWS, byte for byte what jose's SignJWT makes of the same header and claims (JSON as
 * given, base64url without padding, RSASSA-PKCS1-v1_5 with SHA-256), signed on the crypto threads
 * (lib/crypto/crypto-pool.ts) instead of the main thread.
 */
export async function signRs256(claims: Record<string, unknown>, kid: string, privateKey: KeyObject): Promise<string> {
  const input = `${base64UrlJson({ kid, alg: 'RS256' })}.${base64UrlJson(claims)}`;
  return `${input}.${await signRs256Async(input, privateKey)}`;
}

/** Attribute values as they appear in an ID token: verified flags as booleans, everything else a string. */
export function idTokenAttributes(user: UserRecord, readable?: string[], scopes?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const inScope = scopes ? attributeSelector(scopes) : () => true;
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name === 'sub') continue;
    if (readable && !readable.includes(name)) continue;
    if (!inScope(name)) continue;
    if (name === 'email_verified' || name === 'phone_number_verified') out[name] = value === 'true';
    else if (name === 'updated_at') out[name] = Number(value);
    else out[name] = value;
  }
  return out;
}

export interface IssueOptions {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** Seconds; the interactive sign-in time, kept on refresh. */
  authTime: number;
  /** Existing family (refresh); a new one is created when absent. */
  originJti?: string;
  withRefreshToken: boolean;
  nonce?: string;
  /**
   * OAuth scopes for hosted sign-in (./oauth-scopes): the access token carries them with `version: 2`,
   * the ID token exists only with `openid`, its attributes follow the scopes and it gets `at_hash`; the
   * family remembers them for refresh. API sign-ins (undefined) always get aws.cognito.signin.user.admin.
   */
  scopes?: string[];
  deviceKey?: string;
  /**
   * The custom domain the sign-in ran on (ClientMetadata 'portico:base-url', or the family's on refresh):
   * the tokens' `iss` is `{baseUrl}/{poolId}` when it is one of the pool's registered domains, else the
   * primary issuer. The family remembers it, so a refresh keeps it.
   */
  baseUrl?: string;
  /** What the pool's Pre Token Generation trigger is told (./pre-token); a sign-in when unset. */
  tokenGeneration?: TokenGeneration;
}

export async function issueTokens(deps: EngineDeps, o: IssueOptions): Promise<AuthenticationResultType> {
  const keys = await poolKeys(deps, o.pool.id);
  const validity = tokenValidity(o.client);
  const now = Math.floor(deps.clock.now() / 1000);
  const domainBase = await registeredBaseUrl(deps.db, o.pool.id, o.baseUrl);
  const iss = domainBase ? issuerAt(domainBase, o.pool.id) : issuerFor(deps, o.pool.id);
  const originJti = o.originJti ?? randomUUID();
  const eventId = randomUUID();
  const groups = await groupClaimsFor(deps, o.user);
  const groupClaims: Record<string, unknown> = {};
  if (groups.groups.length > 0) groupClaims['cognito:groups'] = groups.groups;
  // Before anything is stored: a failing trigger fails the call without leaving a token family behind.
  const overrides = await runPreTokenGeneration(deps, {
    pool: o.pool,
    client: o.client,
    user: o.user,
    groups,
    scopes: o.scopes ?? ['aws.cognito.signin.user.admin'],
    generation: o.tokenGeneration ?? { source: o.originJti ? 'TokenGeneration_RefreshTokens' : 'TokenGeneration_Authentication' },
  });

  let refreshToken: string | undefined;
  if (o.withRefreshToken) {
    refreshToken = randomToken(48);
    const storedAt = deps.clock.now();
    const expiresAt = storedAt + validity.refresh * 1000;
    await writeAll(deps.db, [
      ...(o.originJti
        ? []
        : [insertFamily.write(originJti, o.pool.id, o.client.clientId, o.user.usernameKey, o.authTime, storedAt, expiresAt, o.scopes ? o.scopes.join(' ') : null, domainBase ? iss : null)]),
      insertRefreshToken.write(sha256Base64Url(refreshToken), originJti, storedAt, expiresAt),
    ]);
  }

  const scope = o.scopes ? o.scopes.join(' ') : 'aws.cognito.signin.user.admin';
  const accessClaims: Record<string, unknown> = {
    sub: o.user.sub,
    ...groupClaims,
    ...(o.deviceKey ? { device_key: o.deviceKey } : {}),
    iss,
    client_id: o.client.clientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: 'access',
    scope,
    auth_time: o.authTime,
    exp: now + validity.access,
    iat: now,
    jti: randomUUID(),
    username: o.user.username,
    ...(o.scopes ? { version: 2 } : {}),
  };
  applyToAccessToken(accessClaims, overrides);
  const access = await signRs256(accessClaims, keys.access.kid, keys.access.privateKey);

  const withIdToken = !o.scopes || o.scopes.includes('openid');
  const readable = o.client.config.ReadAttributes && o.client.config.ReadAttributes.length > 0 ? o.client.config.ReadAttributes : undefined;
  const idClaims: Record<string, unknown> = {
    sub: o.user.sub,
    ...groupClaims,
    ...(groups.roles.length > 0 ? { 'cognito:roles': groups.roles } : {}),
    ...(groups.preferredRole ? { 'cognito:preferred_role': groups.preferredRole } : {}),
    iss,
    'cognito:username': o.user.username,
    ...(o.nonce ? { nonce: o.nonce } : {}),
    ...(o.scopes ? { at_hash: atHash(access) } : {}),
    origin_jti: originJti,
    aud: o.client.clientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: o.authTime,
    ...idTokenAttributes(o.user, readable, o.scopes),
    exp: now + validity.id,
    iat: now,
    jti: randomUUID(),
  };
  applyToIdToken(idClaims, overrides);
  const id = withIdToken ? await signRs256(idClaims, keys.id.kid, keys.id.privateKey) : undefined;

  return {
    AccessToken: access,
    ExpiresIn: validity.access,
    TokenType: 'Bearer',
    ...(id ? { IdToken: id } : {}),
    ...(refreshToken ? { RefreshToken: refreshToken } : {}),
  };
}

export interface AccessTokenHolder {
  pool: PoolRecord;
  user: UserRecord;
  claims: JWTPayload & { client_id?: string; origin_jti?: string; scope?: string; username?: string };
}

export interface VerifyAccessOptions {
  /**
   * Portico deviation (issue 3, decision 3): also accept a token whose scope has `openid` without
   * aws.cognito.signin.user.admin. Only GetUser asks for it — the hosted front's /oauth2/userInfo reads
   * the profile through it; Cognito would refuse such a token there. Every other operation stays strict.
   */
  acceptOpenId?: boolean;
}

/**
 * Checks an access token for the token-holder operations (GetUser, ChangePassword, …) with Cognito's
 * messages: signature and issuer, expiry, scope, family not revoked, user present and enabled.
 */
export async function verifyAccessToken(deps: EngineDeps, token: string, options: VerifyAccessOptions = {}): Promise<AccessTokenHolder> {
  const invalid = () => errors.notAuthorized(messages.invalidAccessToken);
  let iss: string;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'RS256' || typeof header.kid !== 'string') throw invalid();
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    if (typeof payload.iss !== 'string') throw invalid();
    iss = payload.iss;
  } catch {
    throw invalid();
  }
  // PORTICO_URL's issuer or one of the pool's custom domains' (lib/domains): all verify alike.
  const poolId = await poolOfIssuer(deps.db, deps.publicUrl, iss);
  if (!poolId) throw invalid();
  const pool = await findPool(deps, poolId);
  if (!pool) throw invalid();
  const keys = await poolKeys(deps, pool.id);
  let claims: AccessTokenHolder['claims'];
  try {
    const verified = await jwtVerify(token, keys.access.publicKey, {
      issuer: iss,
      algorithms: ['RS256'],
      currentDate: new Date(deps.clock.now()),
      clockTolerance: 0,
    });
    claims = verified.payload as AccessTokenHolder['claims'];
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_JWT_EXPIRED') throw errors.notAuthorized(messages.accessTokenExpired);
    throw invalid();
  }
  if (claims['token_use'] !== 'access') throw invalid();
  const scopes = String(claims.scope ?? '').split(' ');
  if (!scopes.includes('aws.cognito.signin.user.admin') && !(options.acceptOpenId && scopes.includes('openid'))) {
    throw errors.notAuthorized(messages.accessTokenScopes);
  }
  if (claims.origin_jti) {
    const family = await deps.db.selectFrom('token_families').select(['revoked_at']).where('origin_jti', '=', claims.origin_jti).executeTakeFirst();
    if (!family || family.revoked_at !== null) {
      // Deleting a user also revokes its families; Cognito reports that case as the missing user.
      const owner = await findUserByUsername(deps, pool, String(claims.username ?? ''));
      if (!owner || owner.sub !== claims.sub) throw errors.userNotFound(messages.userDoesNotExist);
      throw errors.notAuthorized(messages.accessTokenRevoked);
    }
  }
  const user = await findUserByUsername(deps, pool, String(claims.username ?? ''));
  if (!user || user.sub !== claims.sub) throw errors.userNotFound(messages.userDoesNotExist);
  if (!user.enabled) throw errors.notAuthorized(messages.userDisabled);
  return { pool, user, claims };
}

export interface RefreshTokenHolder {
  tokenDigest: string;
  originJti: string;
  clientId: string;
  poolId: string;
  usernameKey: string;
  authTime: number;
  rotatedAt: number | null;
  /** The family's OAuth scopes (hosted sign-in); undefined for API sign-ins. */
  scopes?: string[];
  /** The custom domain's base URL the family was minted on; undefined for PORTICO_URL. */
  baseUrl?: string;
}

/** Finds a live refresh token; Cognito's messages for expired, revoked and unknown ones. */
export async function lookupRefreshToken(deps: EngineDeps, token: string): Promise<RefreshTokenHolder> {
  const row = await deps.db
    .selectFrom('refresh_tokens')
    .innerJoin('token_families', 'token_families.origin_jti', 'refresh_tokens.origin_jti')
    .selectAll()
    .where('refresh_tokens.token_digest', '=', sha256Base64Url(token))
    .executeTakeFirst();
  if (!row) throw errors.notAuthorized(messages.invalidRefreshToken);
  if (row.revoked_at !== null) throw errors.notAuthorized(messages.refreshTokenRevoked);
  if (Number(row.expires_at) <= deps.clock.now()) throw errors.notAuthorized(messages.refreshTokenExpired);
  return {
    tokenDigest: row.token_digest,
    originJti: row.origin_jti,
    clientId: row.client_id,
    poolId: row.pool_id,
    usernameKey: row.username_key,
    authTime: Number(row.auth_time),
    rotatedAt: row.rotated_at === null ? null : Number(row.rotated_at),
    ...(row.scopes !== null && row.scopes !== undefined ? { scopes: parseScopes(row.scopes) } : {}),
    ...(row.issuer && row.issuer.endsWith(`/${row.pool_id}`) ? { baseUrl: row.issuer.slice(0, -(row.pool_id.length + 1)) } : {}),
  };
}

export async function revokeFamily(deps: EngineDeps, originJti: string): Promise<void> {
  await deps.db.updateTable('token_families').set({ revoked_at: deps.clock.now() }).where('origin_jti', '=', originJti).where('revoked_at', 'is', null).execute();
}

export async function revokeAllForUser(deps: EngineDeps, user: UserRecord): Promise<void> {
  await deps.db
    .updateTable('token_families')
    .set({ revoked_at: deps.clock.now() })
    .where('pool_id', '=', user.poolId)
    .where('username_key', '=', user.usernameKey)
    .where('revoked_at', 'is', null)
    .execute();
}
