import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { domainEndpoint } from '@/lib/domains/admin-api';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ host: string }> };

async function handle(req: NextRequest, { params }: Params): Promise<Response> {
  const { host } = await params;
  return hostedRoute(req, req.nextUrl.pathname, (rt, input) => domainEndpoint(rt, input, host), { internal: false });
}

export const GET = handle;
export const PUT = handle;
export const DELETE = handle;
