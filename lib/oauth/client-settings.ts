import { z } from 'zod';
import type { Db } from '../db';
import { prepared } from '../db/prepared';

/**
 * Portico's own per-client settings (ARCHITECTURE.md, "Portico's own settings"): a JSON document in
 * client_settings keyed by client id. This reader takes what lib/oauth needs, typed; other keys (theme,
 * frame origins, …) belong to their own readers. A missing row or a malformed document means defaults.
 */
const schema = z.object({
  requirePkce: z.boolean().optional(),
});

export interface OAuthClientSettings {
  /** PKCE even for a client with a secret (clients without one always need it). */
  requirePkce: boolean;
}

export const DEFAULT_OAUTH_SETTINGS: OAuthClientSettings = { requirePkce: false };

export function parseOAuthSettings(text: string): OAuthClientSettings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return DEFAULT_OAUTH_SETTINGS;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { requirePkce: parsed.data.requirePkce ?? false } : DEFAULT_OAUTH_SETTINGS;
}

const settingsOf = prepared((db: Db, clientId: string) => db.selectFrom('client_settings').select('settings').where('client_id', '=', clientId));

export async function oauthSettings(db: Db, clientId: string): Promise<OAuthClientSettings> {
  const row = await settingsOf.first(db, clientId);
  return row ? parseOAuthSettings(row.settings) : DEFAULT_OAUTH_SETTINGS;
}
