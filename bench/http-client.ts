import http from 'node:http';

/**
 * The load generator's HTTP client: node:http on a keep-alive agent. fetch (undici) cost the generator
 * about 1 ms of CPU per request, a fifth of a two-core machine it shares with the server it measures;
 * this is a fraction of that. Redirects are never followed (every caller wants the Location).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface Answer {
  status: number;
  header(name: string): string | undefined;
  setCookies(): string[];
  text: string;
}

/**
 * A watcher of every request (the soak counts them by status and notes where 5xx and transport errors
 * happened), and a time limit per request. Unset for the benchmarks.
 */
export interface Watcher {
  timeoutMs?: number;
  answered(request: { method: string; url: string; startedAt: number }, outcome: { answer: Answer } | { error: Error }): void;
}
let watcher: Watcher | undefined;
export function watchRequests(w: Watcher | undefined): void {
  watcher = w;
}

export async function send(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const w = watcher;
  if (!w) return exchange(url, o);
  const request = { method: o.method ?? 'GET', url, startedAt: Date.now() };
  try {
    const answer = await exchange(url, o, w.timeoutMs);
    w.answered(request, { answer });
    return answer;
  } catch (e) {
    w.answered(request, { error: e as Error });
    throw e;
  }
}

function exchange(url: string, o: { method?: string; headers?: Record<string, string>; body?: string }, timeoutMs?: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...o.headers };
    if (o.body !== undefined) headers['content-length'] = Buffer.byteLength(o.body);
    const req = http.request(url, { method: o.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const raw = res.headers;
        resolve({
          status: res.statusCode ?? 0,
          header: (name) => {
            const v = raw[name.toLowerCase()];
            return Array.isArray(v) ? v.join(', ') : v;
          },
          setCookies: () => raw['set-cookie'] ?? [],
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.on('error', reject);
    if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { name: 'TimeoutError' })));
    req.end(o.body);
  });
}
