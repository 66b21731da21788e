import type { EngineDeps } from './context';
import type { UserRecord } from './users';
import { prepared } from '../db/prepared';
import type { Db } from '../db';

export interface GroupClaims {
  groups: string[];
  roles: string[];
  preferredRole?: string;
}

/**
 * cognito:groups / cognito:roles / cognito:preferred_role by Cognito's precedence rules (reference §5.5):
 * the lowest precedence value wins, groups with a value beat groups without, and a tie between groups
 * with different roles leaves the preferred role out.
 */
export function resolveGroupClaims(groups: Array<{ name: string; precedence: number | null; roleArn: string | null }>): GroupClaims {
  const roles = [...new Set(groups.map((g) => g.roleArn).filter((r): r is string => !!r))];
  const withRole = groups.filter((g) => g.roleArn);
  let preferredRole: string | undefined;
  if (withRole.length > 0) {
    const ranked = withRole.map((g) => ({ ...g, rank: g.precedence ?? Number.POSITIVE_INFINITY }));
    const best = Math.min(...ranked.map((g) => g.rank));
    const top = new Set(ranked.filter((g) => g.rank === best).map((g) => g.roleArn));
    if (top.size === 1) preferredRole = [...top][0]!;
  }
  return { groups: groups.map((g) => g.name), roles, preferredRole };
}

const groupsOfUser = prepared((db: Db, poolId: string, usernameKey: string) =>
  db
    .selectFrom('user_groups')
    .innerJoin('groups', (j) => j.onRef('groups.pool_id', '=', 'user_groups.pool_id').onRef('groups.group_name', '=', 'user_groups.group_name'))
    .select(['groups.group_name', 'groups.precedence', 'groups.role_arn'])
    .where('user_groups.pool_id', '=', poolId)
    .where('user_groups.username_key', '=', usernameKey)
    .orderBy('groups.group_name'),
);

export async function groupClaimsFor(deps: EngineDeps, user: UserRecord): Promise<GroupClaims> {
  const rows = await groupsOfUser.all(deps.db, user.poolId, user.usernameKey);
  return resolveGroupClaims(
    rows.map((r) => ({ name: r.group_name, precedence: r.precedence === null ? null : Number(r.precedence), roleArn: r.role_arn })),
  );
}
