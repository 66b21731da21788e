import http from 'node:http';
import type { Engine } from './engine';
import { MAX_BODY_BYTES } from './wire';

/**
 * A plain node:http server around the engine's wire handler: used by tests (with a controllable clock)
 * and by anyone who wants the pool without the hosted front. Same bytes as the Next route.
 */
export function createPoolHttpServer(engine: Engine): http.Server {
  return http.createServer((req, res) => {
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
