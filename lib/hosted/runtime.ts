import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { settings, type Settings } from '../config/env';
import { createSecretBox, type SecretBox } from '../crypto/secretbox';
import { ssoKeyFrom } from '../crypto/sso-key';
import { startHostedSweeper } from './sweep';
import type { Db } from '../db';
import { createPoolClient } from '../pool-client/client';
import { PoolDirectory } from '../pool-client/directory';
import type { WireLike } from '../pool-client/transport';
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

export interface HostedRuntime {
  settings: Settings;
  cognito: CognitoIdentityProviderClient;
  directory: PoolDirectory;
  db: Db;
  box: SecretBox;
  clock: Clock;
  /** The issuer of a pool's tokens. */
  issuer(poolId: string): string;
  /** The pool's JSON Web Key Set (in-process for the embedded pool, fetched otherwise). */
  jwks(poolId: string): Promise<{ keys: Record<string, unknown>[] }>;
  /** Portico's admin credentials (HTTP Basic on admin endpoints; SigV4 for the embedded pool). */
  admin: { keyId: string; secret: string };
  /** HMAC key for the SSO assertions Portico signs and the pool's Verify trigger checks. */
  ssoKey: Buffer;
}

const KEY = '__porticoHostedRuntime';
type Holder = { [KEY]?: Promise<HostedRuntime> };

export function hostedRuntime(): Promise<HostedRuntime> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const s = settings();
    const { engine, secrets } = await engineRuntime();
    const wire: WireLike = (req) => engine.handle(req);
    const cognito = createPoolClient({
      region: s.region,
      publicUrl: s.publicUrl,
      endpoint: s.poolEndpoint,
      credentials: { accessKeyId: secrets.admin.keyId, secretAccessKey: secrets.admin.secret },
      wire: async () => wire,
    });
    const box = createSecretBox(secrets.secretKey);
    const jwksCache = new Map<string, { at: number; value: { keys: Record<string, unknown>[] } }>();
    const rt: HostedRuntime = {
      settings: s,
      cognito,
      directory: new PoolDirectory({ client: cognito }),
      db: engine.deps.db,
      box,
      clock: { now: () => Date.now() },
      issuer: (poolId) => `${s.publicUrl}/${poolId}`,
      async jwks(poolId) {
        const hit = jwksCache.get(poolId);
        if (hit && Date.now() - hit.at < 300_000) return hit.value;
        const value = s.poolEndpoint
          ? ((await (await fetch(`${s.poolEndpoint}/${poolId}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] })
          : await engineJwks(engine.deps, poolId);
        jwksCache.set(poolId, { at: Date.now(), value });
        return value;
      },
      admin: secrets.admin,
      ssoKey: ssoKeyFrom(secrets.secretKey),
    };
    startHostedSweeper(rt);
    return rt;
  })();
  holder[KEY].catch(() => delete holder[KEY]);
  return holder[KEY];
}
