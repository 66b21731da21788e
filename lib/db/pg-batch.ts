import { CompiledQuery } from 'kysely';

/**
 * A writeAll batch on PostgreSQL as one statement, so one round trip instead of BEGIN, each write and
 * COMMIT (a sign-in's completion was five, its token family four; bench/in-process.ts). Each write is a
 * data-modifying WITH query; PostgreSQL runs every one of them to completion, in one snapshot, and a
 * statement is atomic, so an error anywhere writes nothing.
 *
 * A claim (a write that must change a row) is checked inside the statement: when it changed none, the
 * final SELECT casts a marker to integer and the cast's error aborts the whole statement. The marker
 * carries the count, so the planner cannot fold the cast into an error of its own before anything runs.
 *
 * Only for writes to different tables: sub-statements of one statement do not see each other's rows,
 * so two writes to one table (say a delete and an insert of the same key) go in a transaction instead.
 */
export interface BatchStatement {
  sql: string;
  parameters: readonly unknown[];
  /** It must change a row. */
  claim: boolean;
  /** The table it writes, or undefined when that is not known. */
  table: string | undefined;
}

const MARKER = 'portico:nothing-to-claim:';
const PLACEHOLDER = /\$(\d+)/g;

/** Its placeholders are exactly $1…$n for its n parameters, so they can be renumbered. */
function renumberable(s: BatchStatement): boolean {
  const seen = new Set<number>();
  for (const m of s.sql.matchAll(PLACEHOLDER)) seen.add(Number(m[1]));
  if (seen.size !== s.parameters.length) return false;
  for (let i = 1; i <= s.parameters.length; i++) if (!seen.has(i)) return false;
  return true;
}

/** The batch as one statement, or undefined when it cannot be one (a table written twice, or unknown). */
export function oneStatement(statements: readonly BatchStatement[]): CompiledQuery | undefined {
  const tables = new Set<string>();
  for (const s of statements) {
    if (s.table === undefined || tables.has(s.table) || !renumberable(s)) return undefined;
    tables.add(s.table);
  }
  const parameters: unknown[] = [];
  const parts: string[] = [];
  const checks: string[] = [];
  statements.forEach((s, i) => {
    const offset = parameters.length;
    const body = s.sql.replace(PLACEHOLDER, (_, n: string) => `$${Number(n) + offset}`);
    parameters.push(...s.parameters);
    parts.push(`w${i} as (${body}${/\breturning\b/i.test(body) ? '' : ' returning 1'})`);
    if (s.claim) {
      const count = `(select count(*) from w${i})`;
      checks.push(`cast(case when ${count} > 0 then '0' else '${MARKER}${i}:' || ${count} end as integer)`);
    }
  });
  return CompiledQuery.raw(`with ${parts.join(', ')} select ${checks.length > 0 ? checks.join(', ') : '1'}`, parameters);
}

/** The index of the claim that changed nothing, when `e` is the marker's error. */
export function failedClaim(e: unknown): number | undefined {
  const err = e as { code?: unknown; message?: unknown };
  if (err?.code !== '22P02' || typeof err.message !== 'string') return undefined;
  const m = new RegExp(`${MARKER}(\\d+):`).exec(err.message);
  return m ? Number(m[1]) : undefined;
}
