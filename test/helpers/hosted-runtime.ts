import { parseSettings } from '../../lib/config/env';
import { createSecretBox } from '../../lib/crypto/secretbox';
import { createPoolClient } from '../../lib/pool-client/client';
import { PoolDirectory } from '../../lib/pool-client/directory';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import { ssoKeyFrom } from '../../lib/crypto/sso-key';
import { jwks } from '../../lib/userpool/tokens';
import type { TestPool } from './pool-server';
import { newSsoSession, type SsoSession, type SsoSessionData } from '../../lib/hosted/sso-session';
import { writeAll } from '../../lib/db/prepared';

/**
 * A HostedRuntime around a test pool, so lib/oauth and lib/hosted logic can be driven in-process with
 * the test clock: the pool client talks to the engine through the in-process transport with the admin
 * credentials, exactly as in production.
 */
export function hostedRuntimeFor(t: TestPool, env: Record<string, string> = {}): HostedRuntime {
  const secretKey = t.secretKey;
  const settings = parseSettings({ PORTICO_URL: t.url, PORTICO_DATA: '/tmp/portico-unused', ...env });
  const cognito = createPoolClient({
    region: 'us-east-1',
    publicUrl: t.url,
    credentials: { accessKeyId: t.admin.keyId, secretAccessKey: t.admin.secret },
    wire: async () => (req) => t.engine.handle(req),
  });
  return {
    settings,
    cognito,
    directory: new PoolDirectory({ client: cognito, now: () => t.clock.now() }),
    db: t.db,
    box: createSecretBox(secretKey),
    clock: t.clock,
    issuer: (poolId) => `${t.url}/${poolId}`,
    jwks: (poolId) => jwks(t.engine.deps, poolId),
    admin: t.admin,
    ssoKey: ssoKeyFrom(secretKey),
  };
}

/** A stored SSO session, as a completed sign-in leaves one (the completion stores it in its batch). */
export async function storedSsoSession(rt: HostedRuntime, data: SsoSessionData): Promise<SsoSession> {
  const { session, write } = newSsoSession(rt, data);
  await writeAll(rt.db, [write]);
  return session;
}
