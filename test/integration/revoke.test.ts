import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, expectError, makeClient, makePool, makeUser } from './auth-fixtures';
import { passwordSignIn } from '../helpers/self-service';

let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t);
  ({ clientId } = await makeClient(t, poolId));
  await makeUser(t, poolId, 'ravi');
});
afterAll(async () => t?.close());

const revoke = (token: string, id = clientId, secret?: string) => pub.send(new RevokeTokenCommand({ Token: token, ClientId: id, ClientSecret: secret }));

describe('RevokeToken', () => {
  it('ends the refresh token and every token of its family, and nothing else', async () => {
    const session = await passwordSignIn(pub, clientId, 'ravi', PASSWORD);
    const other = await passwordSignIn(pub, clientId, 'ravi', PASSWORD);
    const refreshed = (await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: session.RefreshToken }))).AuthenticationResult!;
    expect(await revoke(session.RefreshToken!)).toBeDefined();
    await expectError(
      pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: session.RefreshToken })),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );
    await expectError(
      pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session.RefreshToken! } })),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );
    for (const access of [session.AccessToken!, refreshed.AccessToken!]) {
      await expectError(pub.send(new GetUserCommand({ AccessToken: access })), 'NotAuthorizedException', 'Access Token has been revoked');
    }
    expect((await pub.send(new GetUserCommand({ AccessToken: other.AccessToken }))).Username).toBe('ravi');
    // Revoking again, or revoking something unknown, succeeds quietly (RFC 7009).
    await revoke(session.RefreshToken!);
    await revoke('an-unknown-refresh-token');
  });

  it('takes refresh tokens only', async () => {
    const session = await passwordSignIn(pub, clientId, 'ravi', PASSWORD);
    await expectError(revoke(session.AccessToken!), 'UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
    await expectError(revoke(session.IdToken!), 'UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  });

  it('refuses a token issued to another client', async () => {
    const { clientId: other } = await makeClient(t, poolId);
    const session = await passwordSignIn(pub, clientId, 'ravi', PASSWORD);
    await expectError(revoke(session.RefreshToken!, other), 'UnauthorizedException', 'The refresh token was not issued to this app client.');
    expect((await pub.send(new GetUserCommand({ AccessToken: session.AccessToken }))).Username).toBe('ravi');
  });

  it('is unavailable when the client has revocation turned off', async () => {
    const { clientId: noRevoke } = await makeClient(t, poolId, { EnableTokenRevocation: false });
    const session = await passwordSignIn(pub, noRevoke, 'ravi', PASSWORD);
    await expectError(revoke(session.RefreshToken!, noRevoke), 'UnsupportedOperationException', 'Token revocation is not enabled for this app client.');
  });

  it('needs the client secret of a confidential client', async () => {
    const { clientId: secretClient, secret } = await makeClient(t, poolId, { GenerateSecret: true });
    const session = await passwordSignIn(pub, secretClient, 'ravi', PASSWORD, { secret });
    await expectError(revoke(session.RefreshToken!, secretClient), 'NotAuthorizedException', `Client ${secretClient} is configured for secret but secret was not received`);
    await expectError(revoke(session.RefreshToken!, secretClient, 'W'.repeat(52)), 'NotAuthorizedException', `Unable to verify secret for client ${secretClient}`);
    await revoke(session.RefreshToken!, secretClient, secret);
    await expectError(pub.send(new GetUserCommand({ AccessToken: session.AccessToken })), 'NotAuthorizedException', 'Access Token has been revoked');
  });
});
