import type { NextRequest } from 'next/server';
import { hostedRoute } from '@/lib/hosted/next';
import { clientSettingsEndpoint } from '@/lib/settings/admin-api';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ clientId: string }> };

async function handle(req: NextRequest, { params }: Params): Promise<Response> {
  const { clientId } = await params;
  return hostedRoute(req, req.nextUrl.pathname, (rt, input) => clientSettingsEndpoint(rt, input, clientId), { internal: false });
}

export const GET = handle;
export const PUT = handle;
export const DELETE = handle;
