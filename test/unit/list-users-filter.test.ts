import { describe, expect, it } from 'vitest';
import { matchesFilter, parseUserFilter } from '../../lib/userpool/list-users-filter';
import type { UserRecord } from '../../lib/userpool/users';
import { CognitoError } from '../../lib/userpool/errors';

function user(over: Partial<UserRecord> = {}): UserRecord {
  return {
    poolId: 'us-east-1_test',
    usernameKey: 'Alice',
    username: 'Alice',
    sub: '11111111-2222-3333-4444-555555555555',
    status: 'CONFIRMED',
    enabled: true,
    attributes: { sub: '11111111-2222-3333-4444-555555555555', email: 'Alice@Example.com', given_name: 'Alice', phone_number: '+15555550100' },
    srpSalt: null,
    srpVerifierEnc: null,
    passwordUpdatedAt: null,
    tempPasswordExpiresAt: null,
    mfa: {},
    totpSecretEnc: null,
    totpPendingEnc: null,
    totpLastStep: null,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

function parseError(filter: string): { type: string; message: string } {
  try {
    parseUserFilter(filter);
  } catch (e) {
    const err = e as CognitoError;
    return { type: err.type, message: err.message };
  }
  throw new Error('expected a parse error');
}

describe('parseUserFilter', () => {
  it('reads equals and starts-with clauses, with or without spaces', () => {
    expect(parseUserFilter('email = "a@b.c"')).toEqual({ attribute: 'email', operator: '=', value: 'a@b.c' });
    expect(parseUserFilter('given_name^="Al"')).toEqual({ attribute: 'given_name', operator: '^=', value: 'Al' });
    expect(parseUserFilter('cognito:user_status = "FORCE_CHANGE_PASSWORD"')).toEqual({
      attribute: 'cognito:user_status',
      operator: '=',
      value: 'FORCE_CHANGE_PASSWORD',
    });
    expect(parseUserFilter('name = "say \\"hi\\""')?.value).toBe('say "hi"');
  });

  it('treats an empty filter as no filter', () => {
    expect(parseUserFilter(undefined)).toBeUndefined();
    expect(parseUserFilter('   ')).toBeUndefined();
  });

  it('rejects malformed filters and attributes that are not searchable', () => {
    expect(parseError('email = a@b.c')).toEqual({ type: 'InvalidParameterException', message: 'Error while parsing filter.' });
    expect(parseError('email != "x"')).toEqual({ type: 'InvalidParameterException', message: 'Error while parsing filter.' });
    expect(parseError('custom:tenant = "x"')).toEqual({ type: 'InvalidParameterException', message: 'Invalid search attribute: custom:tenant' });
    expect(parseError('nickname = "x"')).toEqual({ type: 'InvalidParameterException', message: 'Invalid search attribute: nickname' });
  });
});

describe('matchesFilter', () => {
  const u = user();
  it('compares attributes exactly or by prefix', () => {
    expect(matchesFilter(u, parseUserFilter('given_name = "Alice"'), true)).toBe(true);
    expect(matchesFilter(u, parseUserFilter('given_name = "Ali"'), true)).toBe(false);
    expect(matchesFilter(u, parseUserFilter('given_name ^= "Ali"'), true)).toBe(true);
    expect(matchesFilter(u, parseUserFilter('phone_number ^= "+1555"'), true)).toBe(true);
    expect(matchesFilter(u, parseUserFilter('family_name ^= ""'), true)).toBe(false);
  });

  it('matches username, sub, user status and enabled status', () => {
    expect(matchesFilter(u, parseUserFilter('username = "Alice"'), true)).toBe(true);
    expect(matchesFilter(u, parseUserFilter(`sub = "${u.sub}"`), true)).toBe(true);
    expect(matchesFilter(u, parseUserFilter('cognito:user_status = "CONFIRMED"'), true)).toBe(true);
    expect(matchesFilter(u, parseUserFilter('status = "Enabled"'), true)).toBe(true);
    expect(matchesFilter(user({ enabled: false }), parseUserFilter('status = "Disabled"'), true)).toBe(true);
    expect(matchesFilter(user({ enabled: false }), parseUserFilter('status = "Enabled"'), true)).toBe(false);
  });

  it('folds case for username and email only when the pool is case-insensitive', () => {
    expect(matchesFilter(u, parseUserFilter('username = "alice"'), true)).toBe(false);
    expect(matchesFilter(u, parseUserFilter('username = "alice"'), false)).toBe(true);
    expect(matchesFilter(u, parseUserFilter('email ^= "alice@"'), false)).toBe(true);
    expect(matchesFilter(u, parseUserFilter('given_name = "alice"'), false)).toBe(false);
  });
});
