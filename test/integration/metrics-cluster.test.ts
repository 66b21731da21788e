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

/** The pids of the workers whose request lines for /readyz are in the server's output. */
function readyzWorkers(): Set<number> {
  return new Set(
    server
      .output()
      .split('\n')
      .filter((l) => l.includes('"route":"/readyz"'))
      .map((l) => (JSON.parse(l) as { pid: number }).pid),
  );
}

describe('metrics across processes', () => {
  it('every scrape shows the requests all workers served', async () => {
    // The second worker may start listening a moment after the first: ask until both have answered.
    let sent = 0;
    while (sent < 12 || (readyzWorkers().size < 2 && sent < 200)) {
      const res = await get('/readyz');
      expect(res.status).toBe(200);
      sent++;
      // Request lines are written after the answer; give the last one time to arrive.
      if (sent >= 12) await new Promise((r) => setTimeout(r, 20));
    }
    expect(readyzWorkers().size).toBe(2);
    for (let i = 0; i < 6; i++) {
      const scrape = await get('/metrics', { authorization: server.basicAuth() });
      expect(scrape.status).toBe(200);
      // Whichever worker answers the scrape, the count is the whole cluster's.
      expect(readyzCount(scrape.body)).toBe(sent);
    }
  });
});
