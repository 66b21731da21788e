import http from 'node:http';
import type { Engine } from './engine';
import { MAX_BODY_BYTES } from './wire';
import { findPool } from './pools';
import { jwks } from './tokens';

/** Cognito serves each pool's JWKS on its API host too (`cognito-idp.<region>.amazonaws.com/<poolId>/…`). */
const JWKS_PATH = /^\/([a-z]{2}(?:-[a-z]+)+-\d_[0-9A-Za-z]+)\/\.well-known\/jwks\.json$/;

async function poolJwks(engine: Engine, poolId: string): Promise<{ status: number; body: string }> {
  if (!(await findPool(engine.deps, poolId))) return { status: 404, body: JSON.stringify({ error: 'not_found' }) };
  return { status: 200, body: JSON.stringify(await jwks(engine.deps, poolId)) };
}

/**
 * A plain node:http server around the engine's wire handler: used by tests (with a controllable clock)
 * and by anyone who wants the pool without the hosted front. Same bytes as the Next route.
 */
export function createPoolHttpServer(engine: Engine): http.Server {
  return http.createServer((req, res) => {
    const jwksOf = req.method === 'GET' ? JWKS_PATH.exec((req.url ?? '').split('?')[0]!) : null;
    if (jwksOf) {
      poolJwks(engine, jwksOf[1]!)
        .then((out) => {
          res.writeHead(out.status, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
          res.end(out.body);
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES + 1) chunks.push(c);
    });
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      engine
        .handle({ method: req.method ?? 'GET', headers, body: Buffer.concat(chunks).toString('utf8'), sourceIp: req.socket.remoteAddress })
        .then((out) => {
          res.writeHead(out.status, out.headers);
          res.end(out.body);
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
    });
  });
}
