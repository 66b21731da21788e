import type { EngineDeps } from './context';
import { errors } from './errors';
import type { PoolRecord } from './pools';
import { keyFor, saveUser, usersWithAlias, type UserRecord } from './users';

/**
 * Sign-in identifiers beyond the username. In an AliasAttributes pool an email or phone alias is live only
 * once verified (preferred_username always is) and belongs to one user at a time; in a UsernameAttributes
 * pool the email/phone IS the sign-in name and must be unique whether verified or not.
 */
type AliasAttr = 'email' | 'phone_number' | 'preferred_username';

const looksLikeEmail = (v: string) => /^[^\s@]+@[^\s@]+$/.test(v);
const looksLikePhone = (v: string) => /^\+[0-9]{4,19}$/.test(v);

/**
 * Validates the Username of a new user against the pool's sign-in settings and returns the attribute the
 * username stands for in a UsernameAttributes pool (whose stored username becomes the sub).
 */
export function usernameAttributeFor(pool: PoolRecord, username: string): 'email' | 'phone_number' | undefined {
  const usernameAttrs = pool.config.UsernameAttributes ?? [];
  if (usernameAttrs.length > 0) {
    const email = usernameAttrs.includes('email');
    const phone = usernameAttrs.includes('phone_number');
    if (email && looksLikeEmail(username)) return 'email';
    if (phone && looksLikePhone(username)) return 'phone_number';
    if (email && phone) throw errors.invalidParameter('Username should be either an email or a phone number.');
    throw errors.invalidParameter(email ? 'Username should be an email.' : 'Username should be a phone number.');
  }
  const aliasAttrs = pool.config.AliasAttributes ?? [];
  if (aliasAttrs.includes('email') && looksLikeEmail(username)) {
    throw errors.invalidParameter('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (aliasAttrs.includes('phone_number') && looksLikePhone(username)) {
    throw errors.invalidParameter('Username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
  return undefined;
}

/**
 * UsernameAttributes pools: an email/phone that is someone's sign-in name can't be given to another user
 * (UsernameExistsException on creation, AliasExistsException on attribute updates).
 */
export async function assertUsernameAttributeFree(
  deps: EngineDeps,
  pool: PoolRecord,
  attributes: Record<string, string>,
  self?: UserRecord,
  fail: (message: string) => Error = errors.usernameExists,
): Promise<void> {
  for (const attr of pool.config.UsernameAttributes ?? []) {
    const value = attributes[attr];
    if (!value) continue;
    const holders = (await usersWithAlias(deps, pool, attr as AliasAttr, value)).filter((u) => u.sub !== self?.sub);
    if (holders.length > 0) {
      throw fail(`An account with the given ${attr === 'email' ? 'email' : 'phone_number'} already exists.`);
    }
  }
}

function aliasLive(attr: AliasAttr, attributes: Record<string, string>): boolean {
  return attr === 'preferred_username' ? !!attributes[attr] : !!attributes[attr] && attributes[`${attr}_verified`] === 'true';
}

/**
 * AliasAttributes pools: when `attributes` make an alias live for `user`, no other user may hold it live.
 * With ForceAliasCreation the alias moves: the other user's value stops being a sign-in alias.
 */
export async function claimAliases(
  deps: EngineDeps,
  pool: PoolRecord,
  user: { sub: string },
  attributes: Record<string, string>,
  force: boolean,
): Promise<void> {
  for (const attr of (pool.config.AliasAttributes ?? []) as AliasAttr[]) {
    if (!aliasLive(attr, attributes)) continue;
    const value = attributes[attr]!;
    const holders = (await usersWithAlias(deps, pool, attr, value)).filter(
      (u) => u.sub !== user.sub && aliasLive(attr, u.attributes) && sameAlias(pool, attr, u.attributes[attr]!, value),
    );
    if (holders.length === 0) continue;
    if (!force) throw errors.aliasExists(`An account with the ${attr === 'phone_number' ? 'phone_number' : attr} already exists.`);
    for (const holder of holders) {
      if (attr === 'preferred_username') delete holder.attributes[attr];
      else holder.attributes[`${attr}_verified`] = 'false';
      await saveUser(deps, pool, holder);
    }
  }
}

function sameAlias(pool: PoolRecord, attr: AliasAttr, a: string, b: string): boolean {
  return attr === 'phone_number' ? a === b : keyFor(pool, a) === keyFor(pool, b);
}
