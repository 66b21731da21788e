import { randomBytes } from 'node:crypto';
import { vi } from 'vitest';
import type { TestPool } from '../helpers/pool-server';
import { freshDatabase } from '../helpers/fresh-db';
import type { Db } from '../../lib/db';
import { parseSettings } from '../../lib/config/env';
import { buildHostedRuntime, type HostedRuntime } from '../../lib/hosted/runtime';
import { BASE } from './hosted-fixtures';

/**
 * The hosted front in AWS mode (PORTICO_AWS_REGION, PORTICO_AWS_POOL_IDS, credentials from the SDK's
 * default provider chain, PORTICO_POOL_ENDPOINT at the embedded engine behind its own HTTP server), with
 * a database of its own: the pool and Portico share only what a deployment shares (the secret key from
 * which the SSO key comes), as in test/integration/aws-contract.test.ts.
 */
export function freshHostedDb(): Promise<{ db: Db; drop(): Promise<void> }> {
  return freshDatabase({ pgPrefix: 'portico_aws', sqliteFile: 'hosted.db' });
}

export interface AwsMode {
  rt: HostedRuntime;
  close(): Promise<void>;
}

/** An AWS-mode hosted runtime for `poolIds` of the test pool, on the test clock. */
export async function startAwsMode(t: TestPool, poolIds: string[]): Promise<AwsMode> {
  // The default provider chain finds these; nothing passes credentials to the client.
  vi.stubEnv('AWS_ACCESS_KEY_ID', t.admin.keyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', t.admin.secret);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  const hosted = await freshHostedDb();
  const settings = parseSettings({
    PORTICO_URL: BASE,
    PORTICO_DATA: '/tmp/portico-unused',
    PORTICO_AWS_REGION: 'us-east-1',
    PORTICO_AWS_POOL_IDS: poolIds.join(','),
    PORTICO_POOL_ENDPOINT: t.url,
  });
  const rt = buildHostedRuntime({
    settings,
    db: hosted.db,
    secretKey: t.secretKey,
    admin: { keyId: 'PORTICOHOSTEDONLY000', secret: randomBytes(24).toString('base64url') },
    clock: t.clock,
  });
  return {
    rt,
    async close() {
      vi.unstubAllEnvs();
      rt.cognito.destroy();
      await hosted.drop();
    },
  };
}
