import type { HostedRuntime } from '../runtime';
import { peekTransaction } from '../transactions';
import { AUTHORIZE_ENTRY_PATHS, isStepPath } from '../routes';
import { EMBED_PARAM, PARENT_PARAM, embedOfRequest, frameOriginsOf } from './request';

/**
 * Which origins may frame a response (CSP `frame-ancestors`), decided on the server from what the request
 * belongs to — never from a marker the browser could add:
 * - a page of a sign-in transaction (`?tx=`) that was started in embedded mode: its client's frameOrigins,
 *   as long as the transaction's parent is still one of them;
 * - the authorization endpoint asked for embedded mode with a listed parent (its answer may be the
 *   completion page at once, after a silent sign-in or with prompt=none's error): that client's list.
 * Everything else — and any transaction of a client without the setting — answers undefined: `'none'`.
 */
export interface FrameRequest {
  path: string;
  query: URLSearchParams;
  header(name: string): string | null | undefined;
}

const FRAMED_DESTINATIONS: ReadonlySet<string> = new Set(['iframe', 'frame']);

export async function frameAncestorsFor(req: FrameRequest, runtime: () => Promise<HostedRuntime>): Promise<string[] | undefined> {
  // Browsers say what a navigation loads into (a header pages cannot set); only a frame needs a look-up.
  const dest = req.header('sec-fetch-dest');
  if (dest && !FRAMED_DESTINATIONS.has(dest)) return undefined;
  const tx = req.query.get('tx');
  if (tx && isStepPath(req.path) && req.path !== '/account') {
    const rt = await runtime();
    const state = await peekTransaction(rt, tx);
    const embed = state?.request.embed;
    if (!state || !embed) return undefined;
    const origins = await frameOriginsOf(rt, state.request.clientId);
    return origins.includes(embed.parent) ? origins : undefined;
  }
  const entry = req.path === '/oauth2/authorize' || (AUTHORIZE_ENTRY_PATHS.has(req.path) && !tx);
  const clientId = req.query.get('client_id');
  if (entry && clientId && req.query.has(EMBED_PARAM)) {
    const rt = await runtime();
    const ask = await embedOfRequest(rt, [...req.query].filter(([k]) => k === EMBED_PARAM || k === PARENT_PARAM), clientId);
    return ask.ok && ask.embed ? frameOriginsOf(rt, clientId) : undefined;
  }
  return undefined;
}

/** The same decision that never fails a request: a look-up error leaves the page unframeable. */
export async function safeFrameAncestors(req: FrameRequest, runtime: () => Promise<HostedRuntime>): Promise<string[] | undefined> {
  try {
    const origins = await frameAncestorsFor(req, runtime);
    return origins && origins.length > 0 ? origins : undefined;
  } catch {
    return undefined;
  }
}
