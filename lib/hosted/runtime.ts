import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { settings, type Settings } from '../config/env';
import { poolIssuer } from '../config/aws';
import { createSecretBox, type SecretBox } from '../crypto/secretbox';
import { ssoKeyFrom } from '../crypto/sso-key';
import { startHostedSweeper } from './sweep';
import type { Db } from '../db';
import { createPoolClient } from '../pool-client/client';
import { PoolDirectory } from '../pool-client/directory';
import type { WireLike } from '../pool-client/transport';
import { createPorticoIdTokens, type PorticoIdTokens } from './aws-id-token';
// The one import across the boundary (ARCHITECTURE.md, "One door"): the process's engine runtime gives
// the wire handler for the in-process transport, the shared database handle and the pool JWKS.
import { runtime as engineRuntime } from '../userpool/runtime';
import { jwks as engineJwks } from '../userpool/tokens';

/**
 * The hosted front's per-process state: its Cognito client (in-process or remote), the client
 * directory, its own stores (same database), the secret box and clock. Kept on globalThis because
 * Next bundles route handlers and pages separately (stack-notes G11).
 */
export interface Clock {
  now(): number;
}

type Jwks = { keys: Record<string, unknown>[] };

export interface HostedRuntime {
  settings: Settings;
  cognito: CognitoIdentityProviderClient;
  directory: PoolDirectory;
  db: Db;
  box: SecretBox;
  clock: Clock;
  /** The issuer of the ID tokens relying parties get for a pool (Portico's, in both modes). */
  issuer(poolId: string): string;
  /** The key set that verifies those ID tokens: the pool's (embedded), or Portico's own (AWS mode). */
  jwks(poolId: string): Promise<Jwks>;
  /** Portico's admin credentials (HTTP Basic on admin endpoints; SigV4 for the embedded pool). */
  admin: { keyId: string; secret: string };
  /** HMAC key for the SSO assertions Portico signs and the pool's Verify trigger checks. */
  ssoKey: Buffer;
  /** AWS mode only: Portico issues the OIDC ID token (lib/hosted/aws-id-token); unset = the pool's as is. */
  idTokens?: PorticoIdTokens;
}

export interface RuntimeParts {
  settings: Settings;
  db: Db;
  secretKey: string;
  admin: { keyId: string; secret: string };
  /** The embedded engine: its wire handler and key sets. Ignored in AWS mode. */
  engine?: { wire: WireLike; jwks(poolId: string): Promise<Jwks> };
  clock?: Clock;
}

/**
 * The runtime for a set of settings. AWS mode differs only in the Cognito client's endpoint and
 * credentials (the SDK's default provider chain), the directory's fixed pool list and configured secrets,
 * and the ID-token issuer; everything else is the same code as against the embedded pool.
 */
export function buildHostedRuntime(p: RuntimeParts): HostedRuntime {
  const s = p.settings;
  const clock = p.clock ?? { now: () => Date.now() };
  const box = createSecretBox(p.secretKey);
  const aws = s.aws;
  const cognito = aws
    ? createPoolClient({ region: aws.region, publicUrl: s.publicUrl, endpoint: s.poolEndpoint })
    : createPoolClient({
        region: s.region,
        publicUrl: s.publicUrl,
        endpoint: s.poolEndpoint,
        credentials: { accessKeyId: p.admin.keyId, secretAccessKey: p.admin.secret },
        ...(p.engine ? { wire: async () => p.engine!.wire } : {}),
      });
  const idTokens = aws
    ? createPorticoIdTokens({ db: p.db, box, now: () => clock.now(), poolIssuer: (poolId) => poolIssuer(aws, s.poolEndpoint, poolId) })
    : undefined;
  const jwksCache = new Map<string, { at: number; value: Jwks }>();
  return {
    settings: s,
    cognito,
    directory: new PoolDirectory({ client: cognito, poolIds: aws?.poolIds, clientSecrets: aws?.clientSecrets, now: () => clock.now() }),
    db: p.db,
    box,
    clock,
    issuer: (poolId) => `${s.publicUrl}/${poolId}`,
    async jwks(poolId) {
      if (idTokens) return idTokens.jwks();
      const hit = jwksCache.get(poolId);
      if (hit && Date.now() - hit.at < 300_000) return hit.value;
      const value =
        s.poolEndpoint || !p.engine
          ? ((await (await fetch(`${s.poolEndpoint}/${poolId}/.well-known/jwks.json`)).json()) as Jwks)
          : await p.engine.jwks(poolId);
      jwksCache.set(poolId, { at: Date.now(), value });
      return value;
    },
    admin: p.admin,
    ssoKey: ssoKeyFrom(p.secretKey),
    ...(idTokens ? { idTokens } : {}),
  };
}

const KEY = '__porticoHostedRuntime';
type Holder = { [KEY]?: Promise<HostedRuntime> };

export function hostedRuntime(): Promise<HostedRuntime> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const s = settings();
    const { engine, secrets } = await engineRuntime();
    const rt = buildHostedRuntime({
      settings: s,
      db: engine.deps.db,
      secretKey: secrets.secretKey,
      admin: secrets.admin,
      engine: { wire: (req) => engine.handle(req), jwks: (poolId) => engineJwks(engine.deps, poolId) },
    });
    startHostedSweeper(rt);
    return rt;
  })();
  holder[KEY].catch(() => delete holder[KEY]);
  return holder[KEY];
}
