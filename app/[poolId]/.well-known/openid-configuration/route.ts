import { runtime } from '@/lib/userpool/runtime';
import { discoveryDocument } from '@/lib/oauth/discovery';
import { documentResponse, documentSite, preflight, unknownPool } from '../documents';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ poolId: string }> };

export async function GET(req: Request, { params }: Params): Promise<Response> {
  const { poolId } = await params;
  const { engine } = await runtime();
  const site = await documentSite(engine.deps, req);
  const missing = await unknownPool(engine.deps, poolId, site);
  if (missing) return missing;
  return documentResponse(discoveryDocument(site.baseUrl, poolId), 3600);
}

export const OPTIONS = preflight;
