import type { NextRequest } from 'next/server';
import { themeRoute } from '@/lib/branding/next-routes';

export const dynamic = 'force-dynamic';

async function handle(req: NextRequest, { params }: { params: Promise<{ poolId: string }> }): Promise<Response> {
  return themeRoute(req, 'pool', (await params).poolId);
}

export const GET = handle;
export const PUT = handle;
export const DELETE = handle;
