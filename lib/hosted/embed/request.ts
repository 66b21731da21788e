import type { HostedRuntime } from '../runtime';
import { readClientSettings } from '../../settings/client-settings';
import { frameOriginOf } from './origins';

/**
 * Embedded mode is asked for at the authorization endpoint with two Portico parameters (Cognito has no
 * such mode): `portico_embed=1` and `portico_parent=<the parent page's origin>`. The parent must be one
 * of the client's frameOrigins; the transaction keeps it, and completion posts to exactly that origin.
 */
export const EMBED_PARAM = 'portico_embed';
export const PARENT_PARAM = 'portico_parent';

export type EmbedAsk = { ok: true; embed?: { parent: string } } | { ok: false };

function single(params: ReadonlyArray<readonly [string, string]>, name: string): string | undefined | null {
  const values = params.filter(([k]) => k === name).map(([, v]) => v);
  if (values.length > 1) return null;
  return values[0];
}

/** The client's frameOrigins now (settings can change mid-sign-in; a removed origin stops at once). */
export async function frameOriginsOf(rt: Pick<HostedRuntime, 'db'>, clientId: string): Promise<string[]> {
  return (await readClientSettings(rt.db, clientId))?.frameOrigins ?? [];
}

export async function embedOfRequest(rt: Pick<HostedRuntime, 'db'>, params: ReadonlyArray<readonly [string, string]>, clientId: string): Promise<EmbedAsk> {
  const mode = single(params, EMBED_PARAM);
  const parentParam = single(params, PARENT_PARAM);
  if (mode === undefined && parentParam === undefined) return { ok: true };
  if (mode !== '1' || typeof parentParam !== 'string') return { ok: false };
  const parent = frameOriginOf(parentParam);
  if (parent === undefined) return { ok: false };
  return (await frameOriginsOf(rt, clientId)).includes(parent) ? { ok: true, embed: { parent } } : { ok: false };
}
