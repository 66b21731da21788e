import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small load balancer for multi-instance tests: each request goes to the next upstream in turn, whatever
 * connection it arrived on, so consecutive requests of one browser land on different instances. The Host
 * header is passed through unchanged (the instances' PORTICO_URL is the proxy's), and no X-Forwarded-*
 * header is added, so the instances need not trust the proxy.
 */
export interface RoundRobinProxy {
  url: string;
  /** Index of the upstream that served each request, in order of arrival. */
  served: number[];
  /** The upstream the next request goes to. */
  nextIndex(): number;
  /** Makes the next request go to upstream `i` (then the rotation continues from there). */
  pin(i: number): void;
  /** The instances' PORTICO_URL is the proxy's, so the proxy listens before they start and learns them after. */
  setUpstreams(urls: string[]): void;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreams: string[] = []): Promise<RoundRobinProxy> {
  let targets = upstreams.map((u) => new URL(u));
  let next = 0;
  const served: number[] = [];
  // Keep-alive to the upstreams so 10 concurrent requests do not each pay a TCP handshake.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const server = http.createServer((req, res) => {
    if (targets.length === 0) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('no upstreams yet');
      return;
    }
    const index = next % targets.length;
    next = (next + 1) % targets.length;
    served.push(index);
    const target = targets[index];
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.statusMessage, up.rawHeaders);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    served,
    nextIndex: () => next % Math.max(targets.length, 1),
    pin(i: number) {
      next = i;
    },
    setUpstreams(urls: string[]) {
      targets = urls.map((u) => new URL(u));
      next = 0;
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
