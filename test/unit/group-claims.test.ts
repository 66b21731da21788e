import { describe, expect, it } from 'vitest';
import { resolveGroupClaims } from '../../lib/userpool/groups';

const ADMIN = 'arn:aws:iam::123456789012:role/Admin';
const READER = 'arn:aws:iam::123456789012:role/Reader';

describe('resolveGroupClaims (reference §5.5)', () => {
  it('has no claims for a user in no group', () => {
    expect(resolveGroupClaims([])).toEqual({ groups: [], roles: [], preferredRole: undefined });
  });

  it('prefers the role of the group with the lowest precedence value', () => {
    const claims = resolveGroupClaims([
      { name: 'readers', precedence: 5, roleArn: READER },
      { name: 'admins', precedence: 1, roleArn: ADMIN },
    ]);
    expect(claims.groups).toEqual(['readers', 'admins']);
    expect(claims.roles).toEqual([READER, ADMIN]);
    expect(claims.preferredRole).toBe(ADMIN);
  });

  it('treats precedence 0 as the highest', () => {
    expect(
      resolveGroupClaims([
        { name: 'a', precedence: 1, roleArn: READER },
        { name: 'b', precedence: 0, roleArn: ADMIN },
      ]).preferredRole,
    ).toBe(ADMIN);
  });

  it('lets a group with a precedence beat groups without one', () => {
    expect(
      resolveGroupClaims([
        { name: 'none', precedence: null, roleArn: ADMIN },
        { name: 'ranked', precedence: 100, roleArn: READER },
      ]).preferredRole,
    ).toBe(READER);
  });

  it('omits the preferred role when tied groups have different roles', () => {
    const claims = resolveGroupClaims([
      { name: 'a', precedence: 2, roleArn: ADMIN },
      { name: 'b', precedence: 2, roleArn: READER },
    ]);
    expect(claims.preferredRole).toBeUndefined();
    expect(claims.roles).toEqual([ADMIN, READER]);
  });

  it('keeps the preferred role when tied groups share it', () => {
    expect(
      resolveGroupClaims([
        { name: 'a', precedence: 2, roleArn: ADMIN },
        { name: 'b', precedence: 2, roleArn: ADMIN },
        { name: 'c', precedence: 3, roleArn: READER },
      ]),
    ).toEqual({ groups: ['a', 'b', 'c'], roles: [ADMIN, READER], preferredRole: ADMIN });
  });

  it('omits the preferred role on a tie between groups without precedence', () => {
    expect(
      resolveGroupClaims([
        { name: 'a', precedence: null, roleArn: ADMIN },
        { name: 'b', precedence: null, roleArn: READER },
      ]).preferredRole,
    ).toBeUndefined();
  });

  it('lists every group but only roles that exist', () => {
    const claims = resolveGroupClaims([
      { name: 'plain', precedence: 0, roleArn: null },
      { name: 'roled', precedence: 9, roleArn: READER },
    ]);
    expect(claims.groups).toEqual(['plain', 'roled']);
    expect(claims.roles).toEqual([READER]);
    expect(claims.preferredRole).toBe(READER);
  });
});
