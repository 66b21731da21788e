import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startNextServer, type NextServer } from '../helpers/next-server';

/**
 * An acknowledged write survives a crash: SIGKILL the server in the middle of a batch of concurrent
 * SignUp calls, start it again on the same data directory (or database), and every sign-up that got a
 * 200 is there — it can be confirmed and can sign in.
 */
describe('durability across a crash', () => {
  let server: NextServer;
  let clientId: string;
  let poolId: string;

  beforeAll(async () => {
    server = await startNextServer({ env: { PORTICO_DEMO: 'off' } });
    const admin = server.adminClient();
    const pool = await admin.send(new CreateUserPoolCommand({ PoolName: 'durability', AutoVerifiedAttributes: ['email'] }));
    poolId = pool.UserPool!.Id!;
    const client = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'durability',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient!.ClientId!;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps every acknowledged sign-up after SIGKILL and restart', async () => {
    const total = 80;
    const concurrency = 8;
    const killAfter = 16;
    const users = Array.from({ length: total }, (_, i) => ({
      username: `crash-user-${i}`,
      password: `Dur4ble!-${i}-${Math.random().toString(36).slice(2, 8)}`,
    }));
    const acknowledged: typeof users = [];
    let failedInFlight = 0;
    let next = 0;
    let killing: Promise<void> | undefined;
    const client = server.publicClient();

    const worker = async () => {
      while (next < users.length) {
        const user = users[next++];
        try {
          await client.send(
            new SignUpCommand({
              ClientId: clientId,
              Username: user.username,
              Password: user.password,
              UserAttributes: [{ Name: 'email', Value: `${user.username}@example.com` }],
            }),
          );
          acknowledged.push(user);
          if (acknowledged.length === killAfter) killing = server.kill();
        } catch {
          failedInFlight++;
          if (killing) return;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await killing;

    // The kill really landed mid-batch: some calls were acknowledged and some never were.
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
    expect(acknowledged.length).toBeLessThan(total);
    expect(failedInFlight).toBeGreaterThan(0);

    await server.restart();
    const admin = server.adminClient();
    const after = server.publicClient();
    for (const user of acknowledged) {
      await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: user.username }));
      const auth = await after.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
        }),
      );
      expect(auth.AuthenticationResult?.AccessToken, user.username).toBeTruthy();
    }
  }, 120_000);
});
