import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import type { TestPool } from '../helpers/pool-server';
import { bigFromHex, claimSignature, clientEphemeral, clientKey, computeX, srpTimestamp, toHex } from '../../lib/crypto/srp-math';
import { secretHash } from '../../lib/userpool/secret-hash';

/** Shared set-up for the auth/MFA integration tests: pools, clients and users made through the SDK. */
export const PASSWORD = 'Corr3ct-Horse!';

export async function makePool(t: TestPool, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const out = await t.adminClient().send(new CreateUserPoolCommand({ PoolName: 'auth-tests', ...input }));
  return out.UserPool!.Id!;
}

export async function makeClient(
  t: TestPool,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ clientId: string; secret?: string }> {
  const out = await t.adminClient().send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...input,
    }),
  );
  return { clientId: out.UserPoolClient!.ClientId!, secret: out.UserPoolClient!.ClientSecret };
}

export async function makeUser(
  t: TestPool,
  poolId: string,
  username: string,
  options: { password?: string; permanent?: boolean; attributes?: Record<string, string> } = {},
): Promise<void> {
  const admin = t.adminClient();
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: options.permanent === false ? options.password ?? PASSWORD : undefined,
      UserAttributes: Object.entries(options.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  if (options.permanent !== false) {
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: options.password ?? PASSWORD, Permanent: true }));
  }
}

/** Expects the promise to fail with exactly this Cognito error type and message. */
export async function expectError(promise: Promise<unknown>, type: string, message?: string | RegExp): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${type}`).toBeDefined();
  const err = caught as { name?: string; message?: string };
  expect(err.name).toBe(type);
  if (typeof message === 'string') expect(err.message).toBe(message);
  else if (message) expect(err.message).toMatch(message);
}

/**
 * A full USER_SRP_AUTH sign-in computed with the client half of lib/crypto/srp-math (the same formulas
 * the JS clients use). Returns the answer to PASSWORD_VERIFIER, or whatever the pool answered.
 */
export async function srpSignIn(
  client: CognitoIdentityProviderClient,
  opts: { poolId: string; clientId: string; username: string; password: string; secret?: string; timestamp?: Date; clientMetadata?: Record<string, string> },
) {
  const { a, A } = clientEphemeral();
  const hash = (u: string): Record<string, string> => (opts.secret ? { SECRET_HASH: secretHash(opts.secret, u, opts.clientId) } : {});
  const init: InitiateAuthCommandOutput = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: opts.clientId,
      AuthParameters: { USERNAME: opts.username, SRP_A: toHex(A), ...hash(opts.username) },
      ClientMetadata: opts.clientMetadata,
    }),
  );
  expect(init.ChallengeName).toBe('PASSWORD_VERIFIER');
  const p = init.ChallengeParameters!;
  const poolName = opts.poolId.split('_')[1]!;
  const userId = p['USER_ID_FOR_SRP']!;
  const x = computeX(p['SALT']!, poolName, userId, opts.password);
  const key = clientKey(a, A, bigFromHex(p['SRP_B']!), x);
  const timestamp = srpTimestamp(opts.timestamp ?? new Date());
  const signature = claimSignature(key, poolName, userId, p['SECRET_BLOCK']!, timestamp);
  return client.send(
    new RespondToAuthChallengeCommand({
      ClientId: opts.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: init.Session,
      ChallengeResponses: {
        USERNAME: userId,
        PASSWORD_CLAIM_SECRET_BLOCK: p['SECRET_BLOCK']!,
        PASSWORD_CLAIM_SIGNATURE: signature,
        TIMESTAMP: timestamp,
        ...hash(userId),
      },
      ClientMetadata: opts.clientMetadata,
    }),
  );
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
