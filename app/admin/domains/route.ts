import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { domainsListEndpoint } from '@/lib/domains/admin-api';

export const dynamic = 'force-dynamic';

export async function GET(req: NextRequest): Promise<Response> {
  return hostedRoute(req, req.nextUrl.pathname, domainsListEndpoint, { internal: false });
}
