import { errors } from './errors';
import type { UserRecord } from './users';

/**
 * ListUsers' Filter: `attribute = "value"` (equals) or `attribute ^= "value"` (starts with), one clause,
 * on the attributes Cognito makes searchable. An empty filter matches everyone.
 */
export const SEARCHABLE_ATTRIBUTES = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;
export type SearchableAttribute = (typeof SEARCHABLE_ATTRIBUTES)[number];

export interface UserFilter {
  attribute: SearchableAttribute;
  operator: '=' | '^=';
  value: string;
}

const CLAUSE = /^\s*([A-Za-z_:]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const m = CLAUSE.exec(filter);
  if (!m) throw errors.invalidParameter('Error while parsing filter.');
  const attribute = m[1]!;
  if (!(SEARCHABLE_ATTRIBUTES as readonly string[]).includes(attribute)) {
    throw errors.invalidParameter(`Invalid search attribute: ${attribute}`);
  }
  return { attribute: attribute as SearchableAttribute, operator: m[2] as '=' | '^=', value: m[3]!.replace(/\\(.)/g, '$1') };
}

/** The value a filter compares for a user (status is Enabled/Disabled, as Cognito lists it). */
function valueOf(user: UserRecord, attribute: SearchableAttribute): string | undefined {
  switch (attribute) {
    case 'username':
      return user.username;
    case 'cognito:user_status':
      return user.status;
    case 'status':
      return user.enabled ? 'Enabled' : 'Disabled';
    case 'sub':
      return user.sub;
    default:
      return user.attributes[attribute];
  }
}

/** Usernames and email-like identifiers follow the pool's case sensitivity; the rest compare exactly. */
const CASE_FOLDED: ReadonlySet<SearchableAttribute> = new Set(['username', 'email', 'preferred_username']);

export function matchesFilter(user: UserRecord, filter: UserFilter | undefined, caseSensitive: boolean): boolean {
  if (!filter) return true;
  let actual = valueOf(user, filter.attribute);
  if (actual === undefined) return false;
  let wanted = filter.value;
  if (!caseSensitive && CASE_FOLDED.has(filter.attribute)) {
    actual = actual.toLowerCase();
    wanted = wanted.toLowerCase();
  }
  return filter.operator === '=' ? actual === wanted : actual.startsWith(wanted);
}
