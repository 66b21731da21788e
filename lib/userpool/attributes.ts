import type { AttributeType, SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { errors } from './errors';
import type { PoolRecord } from './pools';
import type { ClientRecord } from './clients';

/**
 * The pool's attribute schema and the checks every write goes through (SignUp, AdminCreateUser,
 * UpdateUserAttributes, AdminUpdateUserAttributes, the NEW_PASSWORD_REQUIRED challenge).
 */
export const STANDARD_ATTRIBUTES: Array<{ name: string; type: 'String' | 'Number' | 'Boolean'; mutable: boolean }> = [
  { name: 'sub', type: 'String', mutable: false },
  { name: 'name', type: 'String', mutable: true },
  { name: 'given_name', type: 'String', mutable: true },
  { name: 'family_name', type: 'String', mutable: true },
  { name: 'middle_name', type: 'String', mutable: true },
  { name: 'nickname', type: 'String', mutable: true },
  { name: 'preferred_username', type: 'String', mutable: true },
  { name: 'profile', type: 'String', mutable: true },
  { name: 'picture', type: 'String', mutable: true },
  { name: 'website', type: 'String', mutable: true },
  { name: 'email', type: 'String', mutable: true },
  { name: 'email_verified', type: 'Boolean', mutable: true },
  { name: 'gender', type: 'String', mutable: true },
  { name: 'birthdate', type: 'String', mutable: true },
  { name: 'zoneinfo', type: 'String', mutable: true },
  { name: 'locale', type: 'String', mutable: true },
  { name: 'phone_number', type: 'String', mutable: true },
  { name: 'phone_number_verified', type: 'Boolean', mutable: true },
  { name: 'address', type: 'String', mutable: true },
  { name: 'updated_at', type: 'Number', mutable: true },
];

/** Cognito's full default schema (what DescribeUserPool lists when a pool declares nothing). */
export function defaultSchema(): SchemaAttributeType[] {
  return STANDARD_ATTRIBUTES.map((a) => ({
    Name: a.name,
    AttributeDataType: a.type,
    DeveloperOnlyAttribute: false,
    Mutable: a.mutable,
    Required: a.name === 'sub',
    ...(a.type === 'String'
      ? { StringAttributeConstraints: { MinLength: a.name === 'sub' ? '1' : '0', MaxLength: a.name === 'sub' ? '2048' : '2048' } }
      : {}),
    ...(a.type === 'Number' ? { NumberAttributeConstraints: { MinValue: '0' } } : {}),
  }));
}

export function schemaOf(pool: PoolRecord): SchemaAttributeType[] {
  return pool.config.SchemaAttributes && pool.config.SchemaAttributes.length > 0 ? pool.config.SchemaAttributes : defaultSchema();
}

export function schemaEntry(pool: PoolRecord, name: string): SchemaAttributeType | undefined {
  const bare = name.startsWith('dev:') ? name.slice(4) : name;
  return schemaOf(pool).find((s) => s.Name === bare);
}

export function requiredAttributes(pool: PoolRecord): string[] {
  return schemaOf(pool)
    .filter((s) => s.Required && s.Name !== 'sub')
    .map((s) => s.Name!);
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+[0-9]{4,19}$/;

export type WriteMode = 'signup' | 'admin-create' | 'self-update' | 'admin-update' | 'new-password';

function schemaError(detail: string) {
  return errors.invalidParameter(`Attributes did not conform to the schema: ${detail}`);
}

/**
 * Validates attribute writes and returns them as a map. Throws Cognito's errors: unknown attributes,
 * bad formats, immutable or unwritable attributes, missing required attributes (on creation).
 */
export function checkAttributeWrites(
  pool: PoolRecord,
  attributes: AttributeType[] | undefined,
  mode: WriteMode,
  options: { client?: ClientRecord; existing?: Record<string, string> } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const admin = mode === 'admin-create' || mode === 'admin-update';
  for (const attr of attributes ?? []) {
    const name = attr.Name ?? '';
    const value = attr.Value ?? '';
    const entry = schemaEntry(pool, name);
    if (!entry) throw schemaError(`Type for attribute {${name}} could not be determined`);
    if (name === 'sub') throw errors.invalidParameter('Cannot modify the non-mutable attribute sub');
    if (name.startsWith('dev:') || entry.DeveloperOnlyAttribute) {
      if (!admin) throw errors.notAuthorized('A client attempted to write unauthorized attribute');
    }
    if (!admin && (name === 'email_verified' || name === 'phone_number_verified') && mode !== 'signup') {
      throw errors.notAuthorized('A client attempted to write unauthorized attribute');
    }
    if (entry.Mutable === false && options.existing && options.existing[name] !== undefined && options.existing[name] !== value) {
      throw errors.invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    }
    const writable = options.client?.config.WriteAttributes;
    if (!admin && writable && writable.length > 0 && !writable.includes(name)) {
      throw errors.notAuthorized('A client attempted to write unauthorized attribute');
    }
    if ([...value].length > 2048) throw schemaError(`${name}: String must be no longer than 2048 characters`);
    const sc = entry.StringAttributeConstraints;
    if (entry.AttributeDataType === 'String' && sc && value !== '') {
      if (sc.MinLength && [...value].length < Number(sc.MinLength)) throw schemaError(`${name}: String must be no shorter than ${sc.MinLength} characters`);
      if (sc.MaxLength && [...value].length > Number(sc.MaxLength)) throw schemaError(`${name}: String must be no longer than ${sc.MaxLength} characters`);
    }
    if (entry.AttributeDataType === 'Number' && value !== '') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw schemaError(`${name}: Number must be a valid number`);
      const nc = entry.NumberAttributeConstraints;
      if (nc?.MinValue !== undefined && n < Number(nc.MinValue)) throw schemaError(`${name}: Number must be no less than ${nc.MinValue}`);
      if (nc?.MaxValue !== undefined && n > Number(nc.MaxValue)) throw schemaError(`${name}: Number must be no greater than ${nc.MaxValue}`);
    }
    if (entry.AttributeDataType === 'Boolean' && value !== '' && value !== 'true' && value !== 'false') {
      throw schemaError(`${name}: Boolean must be true or false`);
    }
    if (entry.AttributeDataType === 'DateTime' && value !== '' && Number.isNaN(Date.parse(value))) {
      throw schemaError(`${name}: DateTime must be a valid date`);
    }
    if (name === 'email' && value !== '' && !EMAIL.test(value)) throw errors.invalidParameter('Invalid email address format.');
    if (name === 'phone_number' && value !== '' && !PHONE.test(value)) throw errors.invalidParameter('Invalid phone number format.');
    out[name.startsWith('dev:') ? name.slice(4) : name] = value;
  }
  if (mode === 'signup' || mode === 'admin-create' || mode === 'new-password') {
    const merged = { ...(options.existing ?? {}), ...out };
    for (const required of requiredAttributes(pool)) {
      if (merged[required] === undefined || merged[required] === '') {
        throw schemaError(`${required}: The attribute ${required} is required`);
      }
    }
  }
  return out;
}

/** Attributes a client may read (ReadAttributes; all when unset). */
export function readableAttributes(client: ClientRecord | undefined, attributes: Record<string, string>): Record<string, string> {
  const readable = client?.config.ReadAttributes;
  if (!readable || readable.length === 0) return attributes;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) if (k === 'sub' || readable.includes(k)) out[k] = v;
  return out;
}
