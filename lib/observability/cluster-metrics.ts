import cluster from 'node:cluster';
import promClient from 'prom-client';
import { metrics } from './metrics';

/**
 * /metrics under PORTICO_PROCESSES (lib/server/cluster): each worker counts what it served, so a scrape
 * answered by one worker must speak for all. The worker that got the scrape asks the supervisor, which
 * gathers every worker's registry (prom-client's AggregatorRegistry, over the cluster's IPC channel) and
 * sums them; alone, or when the supervisor does not answer in time, a process shows its own counts.
 */
const ASK = 'portico:metrics';
const ANSWER = 'portico:metrics-answer';
const ASK_TIMEOUT_MS = 3_000;

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/** In the supervisor: answer workers' requests for the whole cluster's metrics. */
export function superviseMetrics(): void {
  const aggregator = new promClient.AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: unknown; id?: unknown }) => {
    if (message?.type !== ASK || typeof message.id !== 'number') return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id, text } satisfies Answer),
      (e: unknown) => worker.send({ type: ANSWER, id, error: (e as Error)?.message ?? 'failed' } satisfies Answer),
    );
  });
}

const KEY = Symbol.for('portico.clusterMetricsWorker');
type Holder = { [KEY]?: { next: number; pending: Map<number, (a: Answer) => void> } };

/**
 * In a worker: let the supervisor's aggregator read this process's registry. Called once at start, so a
 * worker that has counted nothing yet still answers (the aggregator waits for every worker).
 */
export function joinClusterMetrics(): void {
  const holder = globalThis as Holder;
  if (!cluster.isWorker || holder[KEY]) return;
  const state = { next: 0, pending: new Map<number, (a: Answer) => void>() };
  holder[KEY] = state;
  promClient.AggregatorRegistry.setRegistries([metrics().registry]);
  // Constructing one installs prom-client's worker-side listener (this copy of prom-client only).
  new promClient.AggregatorRegistry();
  process.on('message', (message: Partial<Answer>) => {
    if (message?.type !== ANSWER || typeof message.id !== 'number') return;
    state.pending.get(message.id)?.(message as Answer);
  });
}

/** The Prometheus text to serve: the cluster's when this is a worker, else this process's. */
export async function exposition(): Promise<string> {
  const state = (globalThis as Holder)[KEY];
  if (!state || !process.send) return metrics().registry.metrics();
  const id = state.next++;
  const answer = await new Promise<Answer | undefined>((resolve) => {
    const timer = setTimeout(() => {
      state.pending.delete(id);
      resolve(undefined);
    }, ASK_TIMEOUT_MS);
    state.pending.set(id, (a) => {
      clearTimeout(timer);
      state.pending.delete(id);
      resolve(a);
    });
    process.send!({ type: ASK, id });
  });
  return answer?.text ?? metrics().registry.metrics();
}
