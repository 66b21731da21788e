import { z } from 'zod';
import type { Db } from '../db';
import { hostnameOf, parseBaseUrl } from './host';

/**
 * Custom domains, in Portico's database (both dialects): host name → pool, base URL and an optional
 * default app client. Read on every request through a short cache per database handle; a write in this
 * process clears it, other instances see it within CACHE_MS.
 */
export interface Domain {
  host: string;
  poolId: string;
  /** `scheme://host[:port]`; the pool's issuer on this domain is `{baseUrl}/{poolId}`. */
  baseUrl: string;
  /** Its theme dresses pages that have no client; `/` on the domain may lead to its sign-in. */
  defaultClientId?: string;
}

export const CACHE_MS = 5_000;

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;

/** The host name as a registry key: lower case, no port, no trailing dot, not an IP literal. */
export const HostSchema = z
  .string()
  .max(253)
  .transform((h, ctx) => {
    const name = hostnameOf(h);
    if (!name || name.startsWith('[') || /^\d+(\.\d+){3}$/.test(name) || h.includes(':')) {
      ctx.addIssue({ code: 'custom', message: 'must be a DNS host name without a port' });
      return z.NEVER;
    }
    return name;
  });

/** What the admin API and PORTICO_DOMAINS_FILE accept for one domain (the host comes from elsewhere). */
export const DomainInputSchema = z
  .object({
    poolId: z.string().regex(POOL_ID, 'must be a user pool id such as us-east-1_AbC123xyz'),
    baseUrl: z.string().max(300).optional(),
    defaultClientId: z.string().regex(CLIENT_ID, 'must be an app client id').optional(),
  })
  .strict();

export type DomainInput = z.infer<typeof DomainInputSchema>;

/** The domain as stored, or the reason it cannot be (the base URL must name the same host). */
export function domainFrom(host: string, input: DomainInput): { domain: Domain } | { error: string } {
  const baseUrl = input.baseUrl ?? `https://${host}`;
  const parsed = parseBaseUrl(baseUrl);
  if (!parsed) return { error: 'baseUrl must be scheme://host[:port] (http or https), without a path' };
  if (parsed.hostname !== host) return { error: `baseUrl must be on the host ${host}` };
  return { domain: { host, poolId: input.poolId, baseUrl: parsed.origin, ...(input.defaultClientId ? { defaultClientId: input.defaultClientId } : {}) } };
}

type Row = { host: string; pool_id: string; base_url: string; default_client_id: string | null };

function toDomain(r: Row): Domain {
  return { host: r.host, poolId: r.pool_id, baseUrl: r.base_url, ...(r.default_client_id ? { defaultClientId: r.default_client_id } : {}) };
}

export interface DomainRegistry {
  byHost: ReadonlyMap<string, Domain>;
  byBaseUrl: ReadonlyMap<string, Domain>;
}

const cache = new WeakMap<Db, { at: number; value: Promise<DomainRegistry> }>();

/** Every registered domain (cached CACHE_MS per database handle). */
export function domainRegistry(db: Db, now = Date.now()): Promise<DomainRegistry> {
  const hit = cache.get(db);
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = (async () => {
    const rows = await db.selectFrom('domains').select(['host', 'pool_id', 'base_url', 'default_client_id']).execute();
    const byHost = new Map<string, Domain>();
    const byBaseUrl = new Map<string, Domain>();
    for (const r of rows) {
      const d = toDomain(r);
      byHost.set(d.host, d);
      byBaseUrl.set(d.baseUrl, d);
    }
    return { byHost, byBaseUrl };
  })();
  cache.set(db, { at: now, value });
  // A failed read is not kept: the next request asks the database again.
  value.catch(() => cache.delete(db));
  return value;
}

export function forgetDomainCache(db: Db): void {
  cache.delete(db);
}

export async function findDomain(db: Db, host: string): Promise<Domain | undefined> {
  return (await domainRegistry(db)).byHost.get(host);
}

export async function listDomains(db: Db): Promise<Domain[]> {
  const rows = await db.selectFrom('domains').select(['host', 'pool_id', 'base_url', 'default_client_id']).orderBy('host').execute();
  return rows.map(toDomain);
}

export async function putDomain(db: Db, d: Domain, now: number): Promise<void> {
  const values = { pool_id: d.poolId, base_url: d.baseUrl, default_client_id: d.defaultClientId ?? null, updated_at: now };
  const updated = await db.updateTable('domains').set(values).where('host', '=', d.host).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto('domains').values({ host: d.host, created_at: now, ...values }).execute();
  }
  forgetDomainCache(db);
}

export async function deleteDomain(db: Db, host: string): Promise<boolean> {
  const out = await db.deleteFrom('domains').where('host', '=', host).executeTakeFirst();
  forgetDomainCache(db);
  return Number(out.numDeletedRows) > 0;
}

/**
 * The base URL a pool may mint tokens for, when `requested` is one of that pool's registered custom
 * domains; undefined otherwise (the primary issuer then applies). This is what keeps a direct API caller
 * from making up an issuer through ClientMetadata.
 */
export async function registeredBaseUrl(db: Db, poolId: string, requested: string | undefined): Promise<string | undefined> {
  if (!requested) return undefined;
  const d = (await domainRegistry(db)).byBaseUrl.get(requested);
  return d && d.poolId === poolId ? d.baseUrl : undefined;
}

/**
 * The pool id of an `iss` value when it names a pool on PORTICO_URL or on one of that pool's registered
 * domains: `{base}/{poolId}`. Undefined for anything else.
 */
export async function poolOfIssuer(db: Db, publicUrl: string, iss: string): Promise<string | undefined> {
  if (iss.startsWith(`${publicUrl}/`)) {
    const poolId = iss.slice(publicUrl.length + 1);
    return POOL_ID.test(poolId) ? poolId : undefined;
  }
  const slash = iss.lastIndexOf('/');
  if (slash < 0) return undefined;
  const poolId = iss.slice(slash + 1);
  if (!POOL_ID.test(poolId)) return undefined;
  return (await registeredBaseUrl(db, poolId, iss.slice(0, slash))) ? poolId : undefined;
}
