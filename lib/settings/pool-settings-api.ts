import type { HostedRuntime } from '../hosted/runtime';
import { json, type HttpIn, type HttpOut } from '../hosted/http';
import { BASIC_CHALLENGE, basicAuthMatches } from '../security/basic-auth';
import { POOL_ID, PoolSettingsSchema, deletePoolSettings, readPoolSettings, writePoolSettings } from './pool-settings';

/**
 * The admin API for Portico's per-pool settings: GET / PUT / DELETE /admin/pools/{poolId}/settings
 * with HTTP Basic (the admin key id and secret), like the per-client one. PUT replaces the whole
 * document after validation; the pool must exist.
 */
// Text overrides in many locales make a large document; request bodies stop at 64 KiB (lib/hosted/next.ts).
const MAX_BODY = 64 * 1024;

export async function poolSettingsEndpoint(rt: HostedRuntime, req: HttpIn, poolId: string): Promise<HttpOut> {
  if (!basicAuthMatches(req.headers.get('authorization'), rt.admin)) {
    return json(401, { error: 'unauthorized', message: 'Admin credentials required.' }, { 'www-authenticate': BASIC_CHALLENGE });
  }
  if (!POOL_ID.test(poolId) || !(await rt.directory.pool(poolId).catch(() => undefined))) {
    return json(404, { error: 'not_found', message: `User pool ${poolId} does not exist.` });
  }
  switch (req.method) {
    case 'GET':
      return json(200, { poolId, settings: (await readPoolSettings(rt.db, poolId)) ?? {} });
    case 'DELETE':
      await deletePoolSettings(rt.db, poolId);
      return { status: 204, headers: { 'cache-control': 'no-store' }, body: '' };
    case 'PUT': {
      if (req.body.length >= MAX_BODY) return json(413, { error: 'too_large', message: 'The settings document is too large.' });
      let value: unknown;
      try {
        value = JSON.parse(req.body);
      } catch {
        return json(400, { error: 'invalid_json', message: 'The body is not valid JSON.' });
      }
      const parsed = PoolSettingsSchema.safeParse(value);
      if (!parsed.success) {
        return json(400, {
          error: 'invalid_settings',
          message: 'The settings document is not valid.',
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      await writePoolSettings(rt.db, poolId, parsed.data, rt.clock.now());
      return json(200, { poolId, settings: parsed.data });
    }
    default:
      return json(405, { error: 'method_not_allowed', message: 'Use GET, PUT or DELETE.' }, { allow: 'GET, PUT, DELETE' });
  }
}
