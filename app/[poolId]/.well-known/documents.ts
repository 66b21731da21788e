import { findPool } from '@/lib/userpool/pools';
import { messages } from '@/lib/userpool/errors';
import type { EngineDeps } from '@/lib/userpool/context';
import { servesPool, siteOf, type Site } from '@/lib/domains/site';
import { settings } from '@/lib/config/env';

/** The site this request came in on: its base URL heads the issuer and endpoints. */
export function documentSite(deps: EngineDeps, req: Request): Promise<Site> {
  return siteOf(deps.db, deps.publicUrl, req.headers);
}

/** The embedded pool's public documents, served at `{PORTICO_URL}/{poolId}/.well-known/…` like Cognito's. */
const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, OPTIONS',
};

export function documentResponse(body: unknown, maxAgeSeconds: number): Response {
  return Response.json(body, {
    headers: { ...cors, 'cache-control': `public, max-age=${maxAgeSeconds}` },
  });
}

export function preflight(): Response {
  return new Response(null, { status: 204, headers: { ...cors, 'access-control-max-age': '86400' } });
}

/**
 * 404 for a malformed or unknown pool id, checked before anything is generated for it — and, on a custom
 * domain (lib/domains), for every pool but the domain's own.
 */
export async function unknownPool(deps: EngineDeps, poolId: string, site?: Site): Promise<Response | undefined> {
  // AWS mode: the configured pools are the ones Portico issues ID tokens for (the embedded pool has none of them).
  const aws = settings().aws;
  const known = async () => (aws ? aws.poolIds.includes(poolId) : (await findPool(deps, poolId)) !== undefined);
  if (POOL_ID.test(poolId) && (!site || servesPool(site, poolId)) && (await known())) return undefined;
  return Response.json(
    { error: 'not_found', message: messages.poolNotFound(poolId) },
    { status: 404, headers: { ...cors, 'cache-control': 'no-store' } },
  );
}
