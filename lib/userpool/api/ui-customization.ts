import type {
  GetUICustomizationRequest,
  GetUICustomizationResponse,
  SetUICustomizationRequest,
  SetUICustomizationResponse,
  UICustomizationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type EngineDeps } from '../context';
import { errors, messages } from '../errors';
import { requirePool } from '../pools';
import { findClient } from '../clients';
// Content-addressed image storage and Cognito's CSS rules live with the rest of branding; they touch
// only the database and postcss, never the hosted front.
import { storeAsset } from '../../branding/assets';
import { sanitiseCss } from '../../branding/css-sanitiser';
import { brandingDb, type UiCustomizationsTable } from '../../branding/tables';

/**
 * Cognito's classic branding (reference §2): SetUICustomization / GetUICustomization per app client or
 * for the whole pool (`ALL`, also what an absent ClientId means). The CSS may style only Cognito's
 * `*-customizable` classes (no at-rules); the logo is a PNG or JPEG of at most 100 KB; the request at
 * most 135 KB. A client without its own customization gets the pool's (`ClientId: "ALL"`).
 */
const ALL = 'ALL';
const MAX_IMAGE = 100 * 1024;
const MAX_REQUEST = 135 * 1024;

async function subjectOf(deps: EngineDeps, poolId: string, clientId: string | undefined): Promise<string> {
  if (clientId === undefined || clientId === ALL) return ALL;
  const client = await findClient(deps, clientId);
  if (!client || client.poolId !== poolId) throw errors.resourceNotFound(messages.clientNotFound(clientId));
  return clientId;
}

function toType(deps: EngineDeps, poolId: string, row: UiCustomizationsTable | undefined, clientId: string): UICustomizationType {
  if (!row) return { UserPoolId: poolId, ClientId: clientId };
  return {
    UserPoolId: poolId,
    ClientId: row.client_id,
    ...(row.image_path ? { ImageUrl: `${deps.publicUrl}${row.image_path}` } : {}),
    ...(row.css !== null ? { CSS: row.css } : {}),
    CSSVersion: String(Number(row.updated_at)),
    CreationDate: new Date(Number(row.created_at)),
    LastModifiedDate: new Date(Number(row.updated_at)),
  };
}

const setUICustomization = op<SetUICustomizationRequest, SetUICustomizationResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const subject = await subjectOf(deps, pool.id, input.ClientId);
  // The blob arrives base64-encoded on the wire; the handler sees that text.
  const imageText = input.ImageFile as unknown as string | undefined;
  const css = input.CSS;
  if ((imageText?.length ?? 0) + Buffer.byteLength(css ?? '', 'utf8') > MAX_REQUEST * 1.34) {
    throw errors.invalidParameter('The request is larger than 135 KB.');
  }
  let imagePath: string | null = null;
  if (imageText) {
    const bytes = Buffer.from(imageText, 'base64');
    if (bytes.length > MAX_IMAGE) throw errors.invalidParameter('The image file size exceeds the maximum of 100 KB.');
    const stored = await storeAsset(deps.db, bytes, deps.clock.now(), { allowed: ['image/png', 'image/jpeg'], maxBytes: MAX_IMAGE });
    if (!stored.ok) throw errors.invalidParameter('The image file must be a PNG or JPEG.');
    imagePath = stored.path;
  }
  if (css !== undefined && css !== '') {
    const checked = sanitiseCss(css, 'cognito');
    if (!checked.ok) throw errors.invalidParameter(`css is invalid: ${checked.errors[0]}`);
  }
  const now = deps.clock.now();
  const bdb = brandingDb(deps.db);
  const existing = await bdb.selectFrom('ui_customizations').selectAll().where('pool_id', '=', pool.id).where('client_id', '=', subject).executeTakeFirst();
  const values = { css: css === undefined || css === '' ? null : css, image_path: imagePath, updated_at: now };
  if (existing) {
    await bdb.updateTable('ui_customizations').set(values).where('pool_id', '=', pool.id).where('client_id', '=', subject).execute();
  } else {
    await bdb.insertInto('ui_customizations').values({ pool_id: pool.id, client_id: subject, created_at: now, ...values }).execute();
  }
  const row = await bdb.selectFrom('ui_customizations').selectAll().where('pool_id', '=', pool.id).where('client_id', '=', subject).executeTakeFirst();
  return { UICustomization: toType(deps, pool.id, row, subject) };
});

const getUICustomization = op<GetUICustomizationRequest, GetUICustomizationResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const subject = await subjectOf(deps, pool.id, input.ClientId);
  const rows = await brandingDb(deps.db)
    .selectFrom('ui_customizations')
    .selectAll()
    .where('pool_id', '=', pool.id)
    .where('client_id', 'in', subject === ALL ? [ALL] : [subject, ALL])
    .execute();
  const row = rows.find((r) => r.client_id === subject) ?? rows.find((r) => r.client_id === ALL);
  return { UICustomization: toType(deps, pool.id, row, subject) };
});

export const uiCustomizationHandlers = {
  SetUICustomization: setUICustomization,
  GetUICustomization: getUICustomization,
};
