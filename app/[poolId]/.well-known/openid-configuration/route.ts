import { runtime } from '@/lib/userpool/runtime';
import { discoveryDocument } from '@/lib/oauth/discovery';
import { documentResponse, preflight, unknownPool } from '../documents';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ poolId: string }> };

export async function GET(_req: Request, { params }: Params): Promise<Response> {
  const { poolId } = await params;
  const { engine } = await runtime();
  const missing = await unknownPool(engine.deps, poolId);
  if (missing) return missing;
  return documentResponse(discoveryDocument(engine.deps.publicUrl, poolId), 3600);
}

export const OPTIONS = preflight;
