import type { HostedRuntime } from '../hosted/runtime';
import type { HttpIn, HttpOut } from '../hosted/http';
import { POOL_ID, PoolSettingsSchema, deletePoolSettings, readPoolSettings, writePoolSettings } from './pool-settings';
import { settingsDocumentEndpoint } from './document-endpoint';

/**
 * The admin API for Portico's per-pool settings: GET / PUT / DELETE /admin/pools/{poolId}/settings
 * with HTTP Basic (lib/settings/document-endpoint), like the per-client one. The pool must exist.
 */
export function poolSettingsEndpoint(rt: HostedRuntime, req: HttpIn, poolId: string): Promise<HttpOut> {
  return settingsDocumentEndpoint(rt, req, {
    idName: 'poolId',
    id: poolId,
    schema: PoolSettingsSchema,
    exists: async () => POOL_ID.test(poolId) && !!(await rt.directory.pool(poolId).catch(() => undefined)),
    notFound: `User pool ${poolId} does not exist.`,
    read: () => readPoolSettings(rt.db, poolId),
    write: (value, now) => writePoolSettings(rt.db, poolId, value, now),
    remove: () => deletePoolSettings(rt.db, poolId),
  });
}
