import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpOut } from '../hosted/http';

/**
 * node:http ⇄ the hosted front's HttpIn/HttpOut, for the requests the custom server answers itself.
 * Same semantics as lib/hosted/next.ts: a body is read up to a limit (the rest is cut off and then
 * fails validation), cookies are parsed as Next parses them (last one of a name wins, values
 * URI-decoded).
 */

/** Request headers, minus the ones only Portico's own front door may set (`x-portico-*`). */
export function requestHeaders(req: IncomingMessage, stripPrefix: string): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(stripPrefix)) continue;
    try {
      out.set(name, Array.isArray(value) ? value.join(', ') : value);
    } catch {
      // A value WHATWG Headers refuses; no handler reads such a header.
    }
  }
  return out;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const pair of header.split(/; */)) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    if (at === -1) {
      out[pair] = 'true';
      continue;
    }
    try {
      out[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
    } catch {
      // Not URI-encoded correctly: skipped, as Next does.
    }
  }
  return out;
}

export interface ReadBody {
  text: string;
  /** More was sent than the limit: the connection is not reused. */
  truncated: boolean;
}

/** The client went away before its body arrived: there is no one to answer. */
export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection before its request body arrived');
    this.name = 'ClientGone';
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const detach = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      detach();
      resolve({ text: Buffer.concat(chunks).toString('utf8').slice(0, limit), truncated });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size > limit) {
        req.pause();
        finish(true);
      }
    };
    const onEnd = () => finish(false);
    const fail = (e: Error) => {
      if (done) return;
      done = true;
      detach();
      reject(e);
    };
    const onError = (e: Error) => fail(req.destroyed ? new ClientGone() : e);
    const onClose = () => fail(new ClientGone());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Writes an HttpOut as Next writes a route handler's Response: a string body without a content type is
 * `text/plain;charset=UTF-8` (what `new Response('')` says), no body for 204/304 or HEAD.
 */
export function writeOut(req: IncomingMessage, res: ServerResponse, out: HttpOut, extra: { headers?: Record<string, string>; cookies?: string[] } = {}): void {
  res.statusCode = out.status;
  for (const [k, v] of Object.entries(extra.headers ?? {})) res.setHeader(k, v);
  for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v);
  const cookies = [...(extra.cookies ?? []), ...(out.cookies ?? [])];
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  const noBody = out.status === 204 || out.status === 304;
  if (noBody) {
    res.end();
    return;
  }
  if (!res.hasHeader('content-type')) res.setHeader('content-type', 'text/plain;charset=UTF-8');
  const body = Buffer.from(out.body, 'utf8');
  res.setHeader('content-length', body.byteLength);
  res.end(req.method === 'HEAD' ? undefined : body);
}
