export const dynamic = 'force-dynamic';

/** Liveness: the process answers. Open, no database work. */
export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
