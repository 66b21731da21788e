import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { poolSettingsEndpoint } from '@/lib/settings/pool-settings-api';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ poolId: string }> };

async function handle(req: NextRequest, { params }: Params): Promise<Response> {
  const { poolId } = await params;
  return hostedRoute(req, req.nextUrl.pathname, (rt, input) => poolSettingsEndpoint(rt, input, poolId), { internal: false });
}

export const GET = handle;
export const PUT = handle;
export const DELETE = handle;
