import { readiness } from '@/lib/health/ready';

export const dynamic = 'force-dynamic';

/** Readiness: the database and the user pool answer. 503 tells a load balancer to hold traffic back. */
export async function GET(): Promise<Response> {
  const r = await readiness();
  return Response.json(
    { status: r.ok ? 'ready' : 'unavailable', database: r.database, pool: r.pool },
    { status: r.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
