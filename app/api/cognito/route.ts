import { runtime } from '@/lib/userpool/runtime';
import { MAX_BODY_BYTES } from '@/lib/userpool/wire';
import { readBodyLimited } from '@/lib/security/read-body';
import { clientIpOf } from '@/lib/security/client-ip';
import { INTERNAL_HEADER, MARKER_PREFIX, ORIGINAL_HOST_HEADER } from '@/lib/security/markers';

export const dynamic = 'force-dynamic';

/**
 * The embedded pool's Cognito API. Reached only through proxy.ts, which rewrites `POST /` and
 * `OPTIONS /` here and marks the request; the proxy strips that mark from every incoming request, so
 * its presence means the proxy sent it.
 */

/**
 * The caller's address as the custom server decided it (lib/security/client-ip: the socket peer, or the
 * address behind a trusted proxy), so a client cannot pick its own to escape the per-IP send caps.
 */
function sourceIp(headers: Headers): string | undefined {
  const ip = clientIpOf(headers);
  return ip === 'unknown' ? undefined : ip;
}

async function handle(req: Request): Promise<Response> {
  if (req.headers.get(INTERNAL_HEADER) !== '1') {
    return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const headers: Record<string, string> = {};
  req.headers.forEach((value, key) => {
    if (!key.startsWith(MARKER_PREFIX)) headers[key] = value;
  });
  // SigV4 signs the Host the client used; a rewrite must not replace it with the internal one.
  const originalHost = req.headers.get(ORIGINAL_HOST_HEADER);
  if (originalHost) headers.host = originalHost;
  const body = req.method === 'POST' ? await readBodyLimited(req, MAX_BODY_BYTES) : '';
  try {
    const { engine } = await runtime();
    const out = await engine.handle({ method: req.method, headers, body, sourceIp: sourceIp(req.headers) });
    return new Response(out.body, { status: out.status, headers: out.headers });
  } catch (error) {
    // The engine maps its own faults; this is the engine failing to start (e.g. the database is down).
    console.error(JSON.stringify({ level: 'error', msg: 'engine unavailable', error: (error as Error)?.message }));
    return Response.json(
      { __type: 'InternalErrorException', message: 'Internal server error.' },
      { status: 500, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'InternalErrorException:' } },
    );
  }
}

export const POST = handle;
export const OPTIONS = handle;
