import type { Db } from '../db';
import { baseUrlFrom } from './header';
import { domainRegistry, type Domain } from './store';

/**
 * The site a request is served as: the primary (PORTICO_URL, every pool) or a custom domain (its pool
 * only). Built from the base URL the server decided (./header.ts), checked against the registry.
 */
export interface Site {
  baseUrl: string;
  /** Set on a custom domain. */
  domain?: Domain;
}

type HeaderSource = Parameters<typeof baseUrlFrom>[0];

export async function siteOf(db: Db, publicUrl: string, headers: HeaderSource): Promise<Site> {
  const base = baseUrlFrom(headers, publicUrl);
  if (base === publicUrl) return { baseUrl: publicUrl };
  const domain = (await domainRegistry(db)).byBaseUrl.get(base);
  return domain ? { baseUrl: domain.baseUrl, domain } : { baseUrl: publicUrl };
}

/** Whether the site may serve this pool's clients, discovery and keys (the primary serves every pool). */
export function servesPool(site: Site, poolId: string | undefined): boolean {
  return !site.domain || site.domain.poolId === poolId;
}

export function issuerAt(baseUrl: string, poolId: string): string {
  return `${baseUrl}/${poolId}`;
}

/** ClientMetadata key naming the base URL a hosted sign-in ran on; the pool accepts only registered ones. */
export const BASE_URL_METADATA = 'portico:base-url';
