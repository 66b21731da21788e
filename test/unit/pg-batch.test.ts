import { describe, expect, it } from 'vitest';
import { failedClaim, oneStatement, type BatchStatement } from '../../lib/db/pg-batch';

/**
 * lib/db/pg-batch.ts: how a writeAll batch becomes one PostgreSQL statement, and when it must not.
 * test/integration/prepared-queries.test.ts runs such statements on PostgreSQL.
 */
const write = (table: string, sql: string, parameters: unknown[], claim = false): BatchStatement => ({ sql, parameters, claim, table });

describe('one statement for a batch', () => {
  it('renumbers each write’s parameters after the ones before it, and returns a row from each', () => {
    const q = oneStatement([
      write('a', 'delete from "a" where "id" = $1', ['x'], true),
      write('b', 'insert into "b" ("id", "v") values ($1, $2)', ['y', 2]),
      write('c', 'update "c" set "v" = $1 where "id" = $2 and "w" = $1', [3, 'z']),
    ])!;
    expect(q.sql).toBe(
      'with w0 as (delete from "a" where "id" = $1 returning 1), ' +
        'w1 as (insert into "b" ("id", "v") values ($2, $3) returning 1), ' +
        'w2 as (update "c" set "v" = $4 where "id" = $5 and "w" = $4 returning 1) ' +
        `select cast(case when (select count(*) from w0) > 0 then '0' else 'portico:nothing-to-claim:0:' || (select count(*) from w0) end as integer)`,
    );
    expect(q.parameters).toEqual(['x', 'y', 2, 3, 'z']);
  });

  it('keeps a write’s own returning, and selects a constant when nothing is a claim', () => {
    const q = oneStatement([write('a', 'delete from "a" where "id" = $1 returning "id"', ['x']), write('b', 'insert into "b" ("id") values ($1)', ['y'])])!;
    expect(q.sql).toBe('with w0 as (delete from "a" where "id" = $1 returning "id"), w1 as (insert into "b" ("id") values ($2) returning 1) select 1');
  });

  it('refuses a table written twice, a write whose table is unknown, and placeholders that do not match the values', () => {
    expect(oneStatement([write('a', 'delete from "a" where "id" = $1', ['x']), write('a', 'insert into "a" ("id") values ($1)', ['x'])])).toBeUndefined();
    expect(oneStatement([{ sql: 'delete from "a"', parameters: [], claim: false, table: undefined }, write('b', 'delete from "b"', [])])).toBeUndefined();
    expect(oneStatement([write('a', 'delete from "a" where "id" = $2', ['x']), write('b', 'delete from "b"', [])])).toBeUndefined();
    expect(oneStatement([write('a', 'delete from "a" where "id" = $1', ['x', 'y']), write('b', 'delete from "b"', [])])).toBeUndefined();
  });
});

describe('the claim that found nothing', () => {
  it('is read from the marker’s cast error, and no other error is taken for it', () => {
    expect(failedClaim({ code: '22P02', message: 'invalid input syntax for type integer: "portico:nothing-to-claim:2:0"' })).toBe(2);
    expect(failedClaim({ code: '22P02', message: 'invalid input syntax for type integer: "abc"' })).toBeUndefined();
    expect(failedClaim({ code: '23505', message: 'duplicate key value portico:nothing-to-claim:0:0' })).toBeUndefined();
    expect(failedClaim(new Error('portico:nothing-to-claim:0:0'))).toBeUndefined();
    expect(failedClaim(undefined)).toBeUndefined();
  });
});
