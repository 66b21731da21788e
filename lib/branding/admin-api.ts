import type { HostedRuntime } from '../hosted/runtime';
import { json, type HttpIn, type HttpOut } from '../hosted/http';
import { BASIC_CHALLENGE, basicAuthMatches } from '../security/basic-auth';
import { MAX_THEME_BODY } from './theme-schema';
import { acceptTheme } from './theme-input';
import { deleteTheme, readTheme, writeTheme, type ThemeScope } from './theme-store';

/**
 * The admin API for Portico's theme documents: GET / PUT / DELETE /admin/themes/pool/{poolId} and
 * /admin/themes/client/{clientId}, HTTP Basic with the admin credentials. PUT replaces the whole
 * document after validation (schema, WCAG AA contrast, sanitised CSS, images); the pool or client must
 * exist (asked through the SDK, the one door).
 */
export const MAX_THEME_REQUEST = MAX_THEME_BODY;

async function subjectExists(rt: HostedRuntime, scope: ThemeScope, subject: string): Promise<boolean> {
  if (scope === 'pool') return /^[\w-]+_[0-9a-zA-Z]+$/.test(subject) && (await rt.directory.pool(subject).catch(() => undefined)) !== undefined;
  return /^[\w+]{1,128}$/.test(subject) && (await rt.directory.appClient(subject).catch(() => undefined)) !== undefined;
}

export async function themeEndpoint(rt: HostedRuntime, req: HttpIn, scope: ThemeScope, subject: string): Promise<HttpOut> {
  if (!basicAuthMatches(req.headers.get('authorization'), rt.admin)) {
    return json(401, { error: 'unauthorized', message: 'Admin credentials required.' }, { 'www-authenticate': BASIC_CHALLENGE });
  }
  if (!(await subjectExists(rt, scope, subject))) {
    return json(404, { error: 'not_found', message: scope === 'pool' ? `User pool ${subject} does not exist.` : `App client ${subject} does not exist.` });
  }
  switch (req.method) {
    case 'GET':
      return json(200, { scope, id: subject, theme: (await readTheme(rt.db, scope, subject)) ?? {} });
    case 'DELETE':
      await deleteTheme(rt.db, scope, subject);
      return { status: 204, headers: { 'cache-control': 'no-store' }, body: '' };
    case 'PUT': {
      if (Buffer.byteLength(req.body, 'utf8') > MAX_THEME_REQUEST) return json(413, { error: 'too_large', message: 'The theme document is too large.' });
      let value: unknown;
      try {
        value = JSON.parse(req.body);
      } catch {
        return json(400, { error: 'invalid_json', message: 'The body is not valid JSON.' });
      }
      const accepted = await acceptTheme(rt.db, value, rt.clock.now());
      if (!accepted.ok) return json(400, { error: 'invalid_theme', message: 'The theme document is not valid.', issues: accepted.issues });
      await writeTheme(rt.db, scope, subject, accepted.theme, rt.clock.now());
      return json(200, { scope, id: subject, theme: accepted.theme });
    }
    default:
      return json(405, { error: 'method_not_allowed', message: 'Use GET, PUT or DELETE.' }, { allow: 'GET, PUT, DELETE' });
  }
}
