import type { z } from 'zod';
import type { HostedRuntime } from '../hosted/runtime';
import { json, type HttpIn, type HttpOut } from '../hosted/http';
import { BASIC_CHALLENGE, basicAuthMatches } from '../security/basic-auth';

/**
 * GET / PUT / DELETE of one settings document behind HTTP Basic (the admin key id and secret): the
 * shape shared by /admin/clients/{id}/settings and /admin/pools/{id}/settings. PUT replaces the whole
 * document after validation.
 */
// Text overrides in many locales make a large document; request bodies stop at 64 KiB (lib/hosted/next.ts).
const MAX_BODY = 64 * 1024;

export interface SettingsDocument<T> {
  /** The id's name in answers (`clientId`, `poolId`) and its value. */
  idName: string;
  id: string;
  schema: z.ZodType<T>;
  /** Whether the client or pool exists (checked after the credentials). */
  exists(): Promise<boolean>;
  notFound: string;
  read(): Promise<T | undefined>;
  write(value: T, now: number): Promise<void>;
  remove(): Promise<void>;
}

export async function settingsDocumentEndpoint<T>(rt: HostedRuntime, req: HttpIn, doc: SettingsDocument<T>): Promise<HttpOut> {
  if (!basicAuthMatches(req.headers.get('authorization'), rt.admin)) {
    return json(401, { error: 'unauthorized', message: 'Admin credentials required.' }, { 'www-authenticate': BASIC_CHALLENGE });
  }
  if (!(await doc.exists())) return json(404, { error: 'not_found', message: doc.notFound });
  switch (req.method) {
    case 'GET':
      return json(200, { [doc.idName]: doc.id, settings: (await doc.read()) ?? {} });
    case 'DELETE':
      await doc.remove();
      return { status: 204, headers: { 'cache-control': 'no-store' }, body: '' };
    case 'PUT': {
      if (req.body.length >= MAX_BODY) return json(413, { error: 'too_large', message: 'The settings document is too large.' });
      let value: unknown;
      try {
        value = JSON.parse(req.body);
      } catch {
        return json(400, { error: 'invalid_json', message: 'The body is not valid JSON.' });
      }
      const parsed = doc.schema.safeParse(value);
      if (!parsed.success) {
        return json(400, {
          error: 'invalid_settings',
          message: 'The settings document is not valid.',
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      await doc.write(parsed.data, rt.clock.now());
      return json(200, { [doc.idName]: doc.id, settings: parsed.data });
    }
    default:
      return json(405, { error: 'method_not_allowed', message: 'Use GET, PUT or DELETE.' }, { allow: 'GET, PUT, DELETE' });
  }
}
