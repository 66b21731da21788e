import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminInitiateAuthCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, decodeJwt, expectError, makeClient, makePool, makeUser, srpSignIn } from './auth-fixtures';
import { secretHash } from '../../lib/userpool/secret-hash';
import { clientEphemeral, toHex } from '../../lib/crypto/srp-math';

let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t);
  ({ clientId } = await makeClient(t, poolId));
  await makeUser(t, poolId, 'alice', { attributes: { email: 'alice@example.com' } });
});
afterAll(async () => t?.close());

const passwordAuth = (username: string, password: string, extra: Record<string, string> = {}, id = clientId) =>
  pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: id, AuthParameters: { USERNAME: username, PASSWORD: password, ...extra } }));

describe('USER_PASSWORD_AUTH', () => {
  it('signs in with the right password and returns Cognito tokens', async () => {
    const out = await passwordAuth('alice', PASSWORD, {});
    const r = out.AuthenticationResult!;
    expect(r.TokenType).toBe('Bearer');
    expect(r.ExpiresIn).toBe(3600);
    expect(r.RefreshToken).toBeTruthy();
    const access = decodeJwt(r.AccessToken!);
    expect(access['username']).toBe('alice');
    expect(access['token_use']).toBe('access');
    expect(decodeJwt(r.IdToken!)['email']).toBe('alice@example.com');
  });

  it('refuses a wrong password', async () => {
    await expectError(passwordAuth('alice', 'Wrong-pass1!'), 'NotAuthorizedException', 'Incorrect username or password.');
  });

  it('says the user does not exist (LEGACY)', async () => {
    await expectError(passwordAuth('nobody', PASSWORD), 'UserNotFoundException', 'User does not exist.');
  });

  it('hides unknown users when PreventUserExistenceErrors is ENABLED', async () => {
    const { clientId: hidden } = await makeClient(t, poolId, { PreventUserExistenceErrors: 'ENABLED' });
    await expectError(passwordAuth('nobody', PASSWORD, {}, hidden), 'NotAuthorizedException', 'Incorrect username or password.');
  });

  it('puts the ClientMetadata nonce in the ID token', async () => {
    const out = await pub.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'alice', PASSWORD },
        ClientMetadata: { nonce: 'n-0S6_WzA2Mj' },
      }),
    );
    expect(decodeJwt(out.AuthenticationResult!.IdToken!)['nonce']).toBe('n-0S6_WzA2Mj');
  });

  it('reports missing parameters and disabled flows', async () => {
    await expectError(
      pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { PASSWORD } })),
      'InvalidParameterException',
      'Missing required parameter USERNAME',
    );
    await expectError(
      pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'alice' } })),
      'InvalidParameterException',
      'Missing required parameter SRP_A',
    );
    const { clientId: srpOnly } = await makeClient(t, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    await expectError(passwordAuth('alice', PASSWORD, {}, srpOnly), 'InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client');
    await expectError(
      pub.send(new InitiateAuthCommand({ AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'alice', PASSWORD } })),
      'InvalidParameterException',
      'Initiate Auth method not supported.',
    );
  });
});

describe('SECRET_HASH', () => {
  let secretClient: { clientId: string; secret?: string };
  beforeAll(async () => {
    secretClient = await makeClient(t, poolId, { GenerateSecret: true });
  });

  it('is required when the client has a secret', async () => {
    await expectError(
      passwordAuth('alice', PASSWORD, {}, secretClient.clientId),
      'NotAuthorizedException',
      `Client ${secretClient.clientId} is configured with secret but SECRET_HASH was not received`,
    );
  });

  it('must be right', async () => {
    await expectError(
      passwordAuth('alice', PASSWORD, { SECRET_HASH: secretHash('not-the-secret', 'alice', secretClient.clientId) }, secretClient.clientId),
      'NotAuthorizedException',
      `Unable to verify secret hash for client ${secretClient.clientId}`,
    );
  });

  it('works for password and SRP sign-in (and every SRP respond)', async () => {
    const ok = await passwordAuth('alice', PASSWORD, { SECRET_HASH: secretHash(secretClient.secret!, 'alice', secretClient.clientId) }, secretClient.clientId);
    expect(ok.AuthenticationResult?.AccessToken).toBeTruthy();
    const srp = await srpSignIn(pub, { poolId, clientId: secretClient.clientId, secret: secretClient.secret, username: 'alice', password: PASSWORD });
    expect(srp.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('is checked on RespondToAuthChallenge too', async () => {
    const { A } = clientEphemeral();
    const init = await pub.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: secretClient.clientId,
        AuthParameters: { USERNAME: 'alice', SRP_A: toHex(A), SECRET_HASH: secretHash(secretClient.secret!, 'alice', secretClient.clientId) },
      }),
    );
    await expectError(
      pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: secretClient.clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: init.Session,
          ChallengeResponses: { USERNAME: 'alice', PASSWORD_CLAIM_SECRET_BLOCK: 'AAAA', PASSWORD_CLAIM_SIGNATURE: 'AAAA', TIMESTAMP: 'Tue Sep 3 06:05:09 UTC 2024' },
        }),
      ),
      'NotAuthorizedException',
      `Client ${secretClient.clientId} is configured with secret but SECRET_HASH was not received`,
    );
  });
});

describe('ADMIN_USER_PASSWORD_AUTH', () => {
  it('signs in through AdminInitiateAuth (and the legacy ADMIN_NO_SRP_AUTH name)', async () => {
    const admin = t.adminClient();
    for (const AuthFlow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] as const) {
      const out = await admin.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow, AuthParameters: { USERNAME: 'alice', PASSWORD } }),
      );
      expect(decodeJwt(out.AuthenticationResult!.AccessToken!)['client_id']).toBe(clientId);
    }
  });

  it('needs the client to belong to the pool', async () => {
    const other = await makePool(t);
    await expectError(
      t.adminClient().send(
        new AdminInitiateAuthCommand({ UserPoolId: other, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }),
      ),
      'ResourceNotFoundException',
      `User pool client ${clientId} does not exist.`,
    );
  });

  it('refuses USER_PASSWORD_AUTH on the admin operation', async () => {
    await expectError(
      t.adminClient().send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }),
      ),
      'InvalidParameterException',
      'Initiate Auth method not supported.',
    );
  });
});

describe('USER_SRP_AUTH', () => {
  it('signs in with the right password', async () => {
    const out = await srpSignIn(pub, { poolId, clientId, username: 'alice', password: PASSWORD });
    expect(decodeJwt(out.AuthenticationResult!.IdToken!)['cognito:username']).toBe('alice');
  });

  it('refuses a wrong password at the verifier step', async () => {
    await expectError(srpSignIn(pub, { poolId, clientId, username: 'alice', password: 'Wrong-pass1!' }), 'NotAuthorizedException', 'Incorrect username or password.');
  });

  it('refuses a stale TIMESTAMP', async () => {
    await expectError(
      srpSignIn(pub, { poolId, clientId, username: 'alice', password: PASSWORD, timestamp: new Date(Date.now() - 3600_000) }),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
  });

  it('says the user does not exist (LEGACY) at InitiateAuth', async () => {
    await expectError(srpSignIn(pub, { poolId, clientId, username: 'nobody', password: PASSWORD }), 'UserNotFoundException', 'User does not exist.');
  });

  it('simulates unknown users when PreventUserExistenceErrors is ENABLED', async () => {
    const { clientId: hidden } = await makeClient(t, poolId, { PreventUserExistenceErrors: 'ENABLED' });
    const init = (name: string) =>
      pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: hidden, AuthParameters: { USERNAME: name, SRP_A: toHex(clientEphemeral().A) } }));
    const first = await init('ghost');
    const second = await init('ghost');
    expect(first.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(first.ChallengeParameters!['SALT']).toBe(second.ChallengeParameters!['SALT']);
    expect(first.ChallengeParameters!['USER_ID_FOR_SRP']).toBe('ghost');
    expect(first.ChallengeParameters!['SRP_B']).not.toBe(second.ChallengeParameters!['SRP_B']);
    expect((await init('other-ghost')).ChallengeParameters!['SALT']).not.toBe(first.ChallengeParameters!['SALT']);
    await expectError(srpSignIn(pub, { poolId, clientId: hidden, username: 'ghost', password: PASSWORD }), 'NotAuthorizedException', 'Incorrect username or password.');
  });

  it('rejects A ≡ 0 (mod N)', async () => {
    await expectError(
      pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'alice', SRP_A: '0' } })),
      'InvalidParameterException',
      'Invalid SRP_A value.',
    );
  });
});
