import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What one request's log line and metrics say about it, filled in as the request is served: the
 * server opens it, the code that learns the client, pool or outcome adds them. Kept on globalThis
 * because Next's bundles carry their own copy of lib/ (stack-notes G11): the server's copy opens the
 * context, the route handlers' copy annotates it.
 */
export interface RequestContext {
  requestId: string;
  /** performance.now() when the request arrived: the crypto threads serve older requests' work first. */
  startedAt?: number;
  poolId?: string;
  clientId?: string;
  outcome?: string;
}

const KEY = Symbol.for('portico.requestContext');
type Holder = { [KEY]?: AsyncLocalStorage<RequestContext> };

function storage(): AsyncLocalStorage<RequestContext> {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= new AsyncLocalStorage<RequestContext>());
}

export function runWithRequest<T>(ctx: RequestContext, fn: () => T): T {
  return storage().run(ctx, fn);
}

export function currentRequest(): RequestContext | undefined {
  return storage().getStore();
}

// Ids and outcomes only: a value that does not look like one is left out rather than logged.
const SAFE_ID = /^[\w.:+-]{1,128}$/;

/** Adds what the caller learnt about the request in progress (a no-op outside one). */
export function annotateRequest(fields: { poolId?: string; clientId?: string; outcome?: string }): void {
  const ctx = storage().getStore();
  if (!ctx) return;
  for (const key of ['poolId', 'clientId', 'outcome'] as const) {
    const v = fields[key];
    if (v !== undefined && SAFE_ID.test(v)) ctx[key] = v;
  }
}

/** The context a request opens with: its id (see requestIdFrom) and when it arrived. */
export function openRequest(xRequestId: string | string[] | undefined, startedAt: number): RequestContext {
  return { requestId: requestIdFrom(Array.isArray(xRequestId) ? undefined : xRequestId), startedAt };
}

/**
 * The client's X-Request-Id when it is a plain token (so a proxy's id ties the lines together), else a
 * new one: a header the client chose goes into logs, so nothing that could forge a line or carry a
 * secret-sized blob is kept.
 */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && /^[A-Za-z0-9._:-]{8,64}$/.test(header) ? header : randomUUID();
}
