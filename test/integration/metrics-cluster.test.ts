import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type NextServer } from '../helpers/next-server';

/**
 * PORTICO_PROCESSES=2: a scrape is answered by one worker but counts what every worker served (the
 * supervisor sums the workers' registries), so Prometheus sees the same totals whichever worker it hits.
 */
let server: NextServer;

beforeAll(async () => {
  server = await startNextServer({ env: { PORTICO_DEMO: 'off', PORTICO_PROCESSES: '2' } });
}, 120_000);
afterAll(async () => server?.close());

/** A GET on a connection of its own, so the cluster's round robin spreads the requests over the workers. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path, agent: false, headers: { connection: 'close', ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

const readyzCount = (text: string) =>
  Number(/^portico_http_request_duration_seconds_count\{[^}]*route="\/readyz"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);

describe('metrics across processes', () => {
  it('every scrape shows the requests all workers served', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await get('/readyz');
      expect(res.status).toBe(200);
    }
    for (let i = 0; i < 6; i++) {
      const scrape = await get('/metrics', { authorization: server.basicAuth() });
      expect(scrape.status).toBe(200);
      // Whichever worker answers the scrape, the count is the whole cluster's.
      expect(readyzCount(scrape.body)).toBe(12);
    }
    // The request lines come from both workers.
    const workers = new Set(
      server
        .output()
        .split('\n')
        .filter((l) => l.includes('"route":"/readyz"'))
        .map((l) => (JSON.parse(l) as { pid: number }).pid),
    );
    expect(workers.size).toBe(2);
  });
});
