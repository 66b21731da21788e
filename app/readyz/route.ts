import { databaseReady } from '@/lib/health/ready';

export const dynamic = 'force-dynamic';

/** Readiness: the database answers. 503 tells a load balancer to hold traffic back. */
export async function GET(): Promise<Response> {
  const ok = await databaseReady();
  return Response.json(
    { status: ok ? 'ready' : 'unavailable', database: ok ? 'ok' : 'unreachable' },
    { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
