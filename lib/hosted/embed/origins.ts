import { z } from 'zod';

/**
 * The parent origins an app client lets frame its hosted pages (client setting `frameOrigins`). An
 * origin only — scheme, host, optional port — because CSP `frame-ancestors` and postMessage's
 * targetOrigin both compare origins. https, or http on loopback for development (as the callback URLs).
 */
export const MAX_FRAME_ORIGINS = 10;

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The serialized origin of `value` when `value` is exactly an allowed origin, else undefined. */
export function frameOriginOf(value: string): string | undefined {
  // Nothing after the authority but an optional slash: no path, query or fragment to normalize away.
  if (value.length > 512 || !/^https?:\/\/[^/?#\s;,'"*\\]+\/?$/i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) return undefined;
  if (url.username || url.password) return undefined;
  return url.origin;
}

export const FrameOriginSchema = z.string().transform((value, ctx) => {
  const origin = frameOriginOf(value);
  if (origin === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be an origin (scheme://host[:port]): https, or http on localhost, 127.0.0.1 or [::1]' });
    return z.NEVER;
  }
  return origin;
});

export const FrameOriginsSchema = z
  .array(FrameOriginSchema)
  .max(MAX_FRAME_ORIGINS)
  .transform((origins) => [...new Set(origins)]);
