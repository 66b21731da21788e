import { runtime } from '@/lib/userpool/runtime';
import { jwks } from '@/lib/userpool/tokens';
import { documentResponse, documentSite, preflight, unknownPool } from '../documents';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ poolId: string }> };

export async function GET(req: Request, { params }: Params): Promise<Response> {
  const { poolId } = await params;
  const { engine } = await runtime();
  const missing = await unknownPool(engine.deps, poolId, await documentSite(engine.deps, req));
  if (missing) return missing;
  // Short: verifiers must see a rotated-in key soon, and the pool keeps old keys listed meanwhile.
  return documentResponse(await jwks(engine.deps, poolId), 300);
}

export const OPTIONS = preflight;
