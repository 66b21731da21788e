import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserPoolClientCommand, CreateUserPoolCommand, DeleteUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';

let t: TestPool;
beforeAll(async () => {
  t = await startTestPool();
});
afterAll(async () => {
  await t.close();
});

describe('PoolDirectory', () => {
  it('finds clients of every pool, sees a client created after a rebuild within seconds, and forgets a deleted one', async () => {
    const rt = hostedRuntimeFor(t);
    const admin = t.adminClient();
    const poolA = (await admin.send(new CreateUserPoolCommand({ PoolName: 'a' }))).UserPool!.Id!;
    const poolB = (await admin.send(new CreateUserPoolCommand({ PoolName: 'b' }))).UserPool!.Id!;
    const first = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolA, ClientName: 'one', GenerateSecret: true }))).UserPoolClient!;
    const described = await rt.directory.appClient(first.ClientId!);
    expect(described?.UserPoolId).toBe(poolA);
    expect(described?.ClientSecret).toBe(first.ClientSecret);

    const later = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolB, ClientName: 'two' }))).UserPoolClient!;
    // Within the rebuild interval the new client is not known yet…
    expect(await rt.directory.appClient(later.ClientId!)).toBeUndefined();
    t.clock.advance(2_500);
    // …and a few seconds later it is.
    expect((await rt.directory.appClient(later.ClientId!))?.UserPoolId).toBe(poolB);

    await admin.send(new DeleteUserPoolClientCommand({ UserPoolId: poolA, ClientId: first.ClientId! }));
    t.clock.advance(31_000);
    expect(await rt.directory.appClient(first.ClientId!)).toBeUndefined();
    expect(await rt.directory.appClient('nosuchclient')).toBeUndefined();
  });
});
