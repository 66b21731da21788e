import { runtime } from '@/lib/userpool/runtime';
import { jwks } from '@/lib/userpool/tokens';
import { settings } from '@/lib/config/env';
import { hostedRuntime } from '@/lib/hosted/runtime';
import { documentResponse, documentSite, preflight, unknownPool } from '../documents';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ poolId: string }> };

export async function GET(req: Request, { params }: Params): Promise<Response> {
  const { poolId } = await params;
  const { engine } = await runtime();
  const missing = await unknownPool(engine.deps, poolId, await documentSite(engine.deps, req));
  if (missing) return missing;
  // Short: verifiers must see a rotated-in key soon, and the pool keeps old keys listed meanwhile.
  // AWS mode: Portico's keys, which sign the ID tokens; access tokens verify at the pool's own JWKS.
  const keys = settings().aws ? await (await hostedRuntime()).jwks(poolId) : await jwks(engine.deps, poolId);
  return documentResponse(keys, 300);
}

export const OPTIONS = preflight;
