import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../lib/db';
import { createSecretBox } from '../../lib/crypto/secretbox';
import { createPorticoIdTokens } from '../../lib/hosted/aws-id-token';
import { jwks, poolKeys } from '../../lib/userpool/tokens';
import type { EngineDeps } from '../../lib/userpool/context';
import { createPgDatabase } from '../helpers/pg-database';

/**
 * Instances starting together on one PostgreSQL database, each using a signing key for the first time
 * at the same moment (issue 6): the embedded pool's keys (lib/userpool/tokens.ts) and Portico's AWS-mode
 * ID-token key (lib/hosted/aws-id-token.ts) are created once, and every instance signs with that one.
 * Each instance is a connection pool of its own, as separate processes would be. Without the unique
 * active-key slot (migration 0208_signing_key_slots) each of them would add its own key.
 */
const INSTANCES = 4;
let database: Awaited<ReturnType<typeof createPgDatabase>>;
const dbs: Db[] = [];
const secretKey = randomBytes(32).toString('base64url');

beforeAll(async () => {
  database = await createPgDatabase('portico_keys');
  for (let i = 0; i < INSTANCES; i++) dbs.push(await openDb({ databaseUrl: database.url }));
});
afterAll(async () => {
  for (const db of dbs) await db.destroy().catch(() => undefined);
  await database?.drop();
});

const engineDeps = (db: Db): EngineDeps => ({
  db,
  box: createSecretBox(secretKey),
  clock: { now: () => Date.now() },
  publicUrl: 'http://127.0.0.1:9',
  region: 'us-east-1',
  admin: { keyId: 'PORTICOTESTKEY000001', secret: 'unused' },
});

describe('first use of a signing key on several instances at once (PostgreSQL)', () => {
  it('the embedded pool gets one ID key and one access key, which every instance signs with', async () => {
    const poolId = 'us-east-1_Race1';
    const loaded = await Promise.all(dbs.map((db) => poolKeys(engineDeps(db), poolId)));
    const rows = await dbs[0]!.selectFrom('signing_keys').select(['kid', 'key_use']).where('pool_id', '=', poolId).execute();
    expect(rows.filter((r) => r.key_use === 'id')).toHaveLength(1);
    expect(rows.filter((r) => r.key_use === 'access')).toHaveLength(1);
    expect(new Set(loaded.map((k) => k.id.kid))).toEqual(new Set([rows.find((r) => r.key_use === 'id')!.kid]));
    expect(new Set(loaded.map((k) => k.access.kid))).toEqual(new Set([rows.find((r) => r.key_use === 'access')!.kid]));
    expect((await jwks(engineDeps(dbs[1]!), poolId)).keys).toHaveLength(2);
  });

  it('Portico’s AWS-mode ID-token key is created once; every instance publishes and signs with it', async () => {
    const instances = dbs.map((db) =>
      createPorticoIdTokens({ db, box: createSecretBox(secretKey), now: () => Date.now(), poolIssuer: (p) => `http://127.0.0.1:9/${p}` }),
    );
    const sets = await Promise.all(instances.map((i) => i.jwks()));
    const rows = await dbs[0]!.selectFrom('signing_keys').select(['kid']).where('pool_id', '=', '@portico').execute();
    expect(rows).toHaveLength(1);
    for (const set of sets) expect(set.keys.map((k) => k.kid)).toEqual([rows[0]!.kid]);
  });

  it('rotations at the same moment leave exactly one active key, and every answer names it', async () => {
    const instances = dbs.map((db) =>
      createPorticoIdTokens({ db, box: createSecretBox(secretKey), now: () => Date.now(), poolIssuer: (p) => `http://127.0.0.1:9/${p}` }),
    );
    const answers = await Promise.all(instances.map((i) => i.rotate()));
    const active = await dbs[0]!
      .selectFrom('signing_keys')
      .select(['kid'])
      .where('pool_id', '=', '@portico')
      .where('retired_at', 'is', null)
      .execute();
    expect(active).toHaveLength(1);
    // Each rotation answers the key that signs once it is done: the last one to commit made it.
    expect(answers.map((a) => a.kid)).toContain(active[0]!.kid);
    const published = (await instances[2]!.jwks()).keys.map((k) => k.kid);
    expect(published).toContain(active[0]!.kid);
  });
});
