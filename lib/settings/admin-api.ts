import type { HostedRuntime } from '../hosted/runtime';
import { json, type HttpIn, type HttpOut } from '../hosted/http';
import { BASIC_CHALLENGE, basicAuthMatches } from '../security/basic-auth';
import { ClientSettingsSchema, deleteClientSettings, readClientSettings, writeClientSettings } from './client-settings';
import { forgetClientSettings } from './text-overrides';

/**
 * The admin API for Portico's per-client settings: GET / PUT / DELETE
 * /admin/clients/{clientId}/settings with HTTP Basic (the admin key id and secret). PUT replaces the
 * whole document after validation; the client must exist in its pool.
 */
// Text overrides in many locales make a large document; request bodies stop at 64 KiB (lib/hosted/next.ts).
const MAX_BODY = 64 * 1024;

export async function clientSettingsEndpoint(rt: HostedRuntime, req: HttpIn, clientId: string): Promise<HttpOut> {
  if (!basicAuthMatches(req.headers.get('authorization'), rt.admin)) {
    return json(401, { error: 'unauthorized', message: 'Admin credentials required.' }, { 'www-authenticate': BASIC_CHALLENGE });
  }
  if (!/^[\w+]{1,128}$/.test(clientId) || !(await rt.directory.appClient(clientId))) {
    return json(404, { error: 'not_found', message: `App client ${clientId} does not exist.` });
  }
  switch (req.method) {
    case 'GET':
      return json(200, { clientId, settings: (await readClientSettings(rt.db, clientId)) ?? {} });
    case 'DELETE':
      await deleteClientSettings(rt.db, clientId);
      forgetClientSettings(rt.db, clientId);
      return { status: 204, headers: { 'cache-control': 'no-store' }, body: '' };
    case 'PUT': {
      if (req.body.length >= MAX_BODY) return json(413, { error: 'too_large', message: 'The settings document is too large.' });
      let value: unknown;
      try {
        value = JSON.parse(req.body);
      } catch {
        return json(400, { error: 'invalid_json', message: 'The body is not valid JSON.' });
      }
      const parsed = ClientSettingsSchema.safeParse(value);
      if (!parsed.success) {
        return json(400, {
          error: 'invalid_settings',
          message: 'The settings document is not valid.',
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      await writeClientSettings(rt.db, clientId, parsed.data, rt.clock.now());
      forgetClientSettings(rt.db, clientId);
      return json(200, { clientId, settings: parsed.data });
    }
    default:
      return json(405, { error: 'method_not_allowed', message: 'Use GET, PUT or DELETE.' }, { allow: 'GET, PUT, DELETE' });
  }
}
