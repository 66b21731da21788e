import type { NextRequest } from 'next/server';
import { themeRoute } from '@/lib/branding/next-routes';

export const dynamic = 'force-dynamic';

async function handle(req: NextRequest, { params }: { params: Promise<{ clientId: string }> }): Promise<Response> {
  return themeRoute(req, 'client', (await params).clientId);
}

export const GET = handle;
export const PUT = handle;
export const DELETE = handle;
