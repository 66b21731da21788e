import type { HostedRuntime } from '../hosted/runtime';
import { json, type HttpIn, type HttpOut } from '../hosted/http';
import { BASIC_CHALLENGE, basicAuthMatches } from '../security/basic-auth';
import { deleteDomain, DomainInputSchema, domainFrom, HostSchema, listDomains, putDomain, type Domain, type DomainInput } from './store';

/**
 * The admin API for custom domains: GET /admin/domains (all), GET / PUT / DELETE /admin/domains/{host},
 * with HTTP Basic (the admin key id and secret). PUT replaces the domain after validation: the pool must
 * exist, the default client must be one of its clients, the base URL must be on the same host.
 */
const MAX_BODY = 4 * 1024;

function unauthorized(): HttpOut {
  return json(401, { error: 'unauthorized', message: 'Admin credentials required.' }, { 'www-authenticate': BASIC_CHALLENGE });
}

function invalid(message: string, issues?: Array<{ path: string; message: string }>): HttpOut {
  return json(400, { error: 'invalid_domain', message, ...(issues ? { issues } : {}) });
}

/** Whether the pool and client a domain names exist (a domain must not point nowhere). */
export async function checkDomainTargets(rt: HostedRuntime, input: DomainInput): Promise<string | undefined> {
  if (!(await rt.directory.pool(input.poolId))) return `User pool ${input.poolId} does not exist.`;
  if (input.defaultClientId) {
    const client = await rt.directory.appClient(input.defaultClientId);
    if (!client || client.UserPoolId !== input.poolId) return `App client ${input.defaultClientId} is not a client of ${input.poolId}.`;
  }
  return undefined;
}

export async function domainsListEndpoint(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  if (!basicAuthMatches(req.headers.get('authorization'), rt.admin)) return unauthorized();
  if (req.method !== 'GET') return json(405, { error: 'method_not_allowed', message: 'Use GET.' }, { allow: 'GET' });
  return json(200, { domains: await listDomains(rt.db) });
}

export async function domainEndpoint(rt: HostedRuntime, req: HttpIn, rawHost: string): Promise<HttpOut> {
  if (!basicAuthMatches(req.headers.get('authorization'), rt.admin)) return unauthorized();
  const host = HostSchema.safeParse(rawHost);
  if (!host.success) return invalid('The host is not a DNS host name (no port, no IP address).');
  switch (req.method) {
    case 'GET': {
      const domain = await findDomainFresh(rt, host.data);
      return domain ? json(200, domain) : json(404, { error: 'not_found', message: `No domain ${host.data}.` });
    }
    case 'DELETE':
      return (await deleteDomain(rt.db, host.data))
        ? { status: 204, headers: { 'cache-control': 'no-store' }, body: '' }
        : json(404, { error: 'not_found', message: `No domain ${host.data}.` });
    case 'PUT': {
      if (req.body.length > MAX_BODY) return json(413, { error: 'too_large', message: 'The domain document is too large.' });
      let value: unknown;
      try {
        value = JSON.parse(req.body);
      } catch {
        return json(400, { error: 'invalid_json', message: 'The body is not valid JSON.' });
      }
      const parsed = DomainInputSchema.safeParse(value);
      if (!parsed.success) {
        return invalid('The domain document is not valid.', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      }
      const built = domainFrom(host.data, parsed.data);
      if ('error' in built) return invalid(built.error, [{ path: 'baseUrl', message: built.error }]);
      if (isPrimary(rt, built.domain)) return invalid('This host is PORTICO_URL\'s own; it serves every pool already.');
      const missing = await checkDomainTargets(rt, parsed.data);
      if (missing) return invalid(missing);
      await putDomain(rt.db, built.domain, rt.clock.now());
      return json(200, built.domain);
    }
    default:
      return json(405, { error: 'method_not_allowed', message: 'Use GET, PUT or DELETE.' }, { allow: 'GET, PUT, DELETE' });
  }
}

function isPrimary(rt: HostedRuntime, d: Domain): boolean {
  return new URL(rt.settings.publicUrl).hostname.toLowerCase() === d.host;
}

/** An admin reads what is stored, not the request cache. */
async function findDomainFresh(rt: HostedRuntime, host: string): Promise<Domain | undefined> {
  return (await listDomains(rt.db)).find((d) => d.host === host);
}
