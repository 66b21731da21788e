import { randomToken } from '../crypto/random';
import type { HostedRuntime } from './runtime';
import { sha256Base64Url } from '../crypto/secretbox';
import { safeEqual } from '../crypto/compare';
import type { FormError } from './form-errors';

/**
 * What a form page needs after a failed POST (post → redirect → get): the values the person typed
 * (never passwords or codes — callers leave those out) and an error per field, sealed server-side for a
 * few minutes and bound to the browser cookie. The page's URL carries only the flash id (`?f=`), so
 * nothing typed ever appears in a URL or a log.
 */
export const FLASH_TTL_MS = 10 * 60_000;
const PURPOSE = 'hosted-flash';
export const FLASH_PARAM = 'f';

export interface Flash {
  /** Field name → what was typed. */
  values: Record<string, string>;
  /** Field name → its error; the key '' is an error for the whole form. */
  errors: Record<string, FormError>;
}

export async function saveFlash(rt: HostedRuntime, browserId: string, flash: Flash): Promise<string> {
  const id = randomToken(18);
  await rt.db
    .insertInto('hosted_flash')
    .values({
      id: sha256Base64Url(id),
      browser: sha256Base64Url(browserId),
      data_enc: rt.box.seal(JSON.stringify(flash), PURPOSE),
      expires_at: rt.clock.now() + FLASH_TTL_MS,
    })
    .execute();
  return id;
}

/** The flash for this browser, or an empty one (unknown, expired or another browser's id). */
export async function loadFlash(rt: HostedRuntime, id: string | undefined, browserId: string | undefined): Promise<Flash> {
  const empty: Flash = { values: {}, errors: {} };
  if (!id || !browserId || id.length > 64) return empty;
  const row = await rt.db.selectFrom('hosted_flash').selectAll().where('id', '=', sha256Base64Url(id)).executeTakeFirst();
  if (!row || Number(row.expires_at) <= rt.clock.now() || !safeEqual(row.browser, sha256Base64Url(browserId))) return empty;
  return JSON.parse(rt.box.openText(row.data_enc, PURPOSE)) as Flash;
}

export async function sweepFlashes(rt: HostedRuntime): Promise<void> {
  await rt.db.deleteFrom('hosted_flash').where('expires_at', '<', rt.clock.now()).execute();
}
