import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminResetUserPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, decodeJwt, expectError, makeClient, makePool, makeUser, srpSignIn } from './auth-fixtures';

/** User states at sign-in, NEW_PASSWORD_REQUIRED, and the life of a challenge Session. */
let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let hiddenClientId: string;
const TEMP = 'Temp-Passw0rd!';

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t, {
    Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true, RequireSymbols: true, RequireUppercase: true, RequireLowercase: true } },
  });
  ({ clientId } = await makeClient(t, poolId));
  ({ clientId: hiddenClientId } = await makeClient(t, poolId, { PreventUserExistenceErrors: 'ENABLED' }));
});
afterAll(async () => t?.close());

const passwordAuth = (username: string, password: string, id = clientId) =>
  pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: id, AuthParameters: { USERNAME: username, PASSWORD: password } }));

const answerNewPassword = (session: string | undefined, username: string, responses: Record<string, string>) =>
  pub.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeResponses: { USERNAME: username, ...responses },
    }),
  );

describe('user states', () => {
  it('a disabled user gets "User is disabled." with the right password (password and SRP)', async () => {
    await makeUser(t, poolId, 'dora', { attributes: { name: 'Dora' } });
    await t.adminClient().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'dora' }));
    await expectError(passwordAuth('dora', PASSWORD), 'NotAuthorizedException', 'User is disabled.');
    await expectError(srpSignIn(pub, { poolId, clientId, username: 'dora', password: PASSWORD }), 'NotAuthorizedException', 'User is disabled.');
    await expectError(passwordAuth('dora', 'Wrong-Passw0rd!'), 'NotAuthorizedException', 'Incorrect username or password.');
  });

  it('an unconfirmed user gets UserNotConfirmedException only with the right password', async () => {
    await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'uma', Password: PASSWORD, UserAttributes: [{ Name: 'name', Value: 'Uma' }] }));
    await expectError(passwordAuth('uma', PASSWORD), 'UserNotConfirmedException', 'User is not confirmed.');
    await expectError(srpSignIn(pub, { poolId, clientId, username: 'uma', password: PASSWORD }), 'UserNotConfirmedException', 'User is not confirmed.');
    await expectError(passwordAuth('uma', 'Wrong-Passw0rd!'), 'NotAuthorizedException', 'Incorrect username or password.');
  });

  it('a user whose password was reset gets PasswordResetRequiredException (hidden when PreventUserExistenceErrors is ENABLED)', async () => {
    await makeUser(t, poolId, 'rita', { attributes: { name: 'Rita', email: 'rita@example.com', email_verified: 'true' } });
    await t.adminClient().send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'rita' }));
    await expectError(passwordAuth('rita', PASSWORD), 'PasswordResetRequiredException', 'Password reset required for the user');
    await expectError(srpSignIn(pub, { poolId, clientId, username: 'rita', password: PASSWORD }), 'PasswordResetRequiredException', 'Password reset required for the user');
    await expectError(passwordAuth('rita', PASSWORD, hiddenClientId), 'NotAuthorizedException', 'Incorrect username or password.');
    await expectError(
      srpSignIn(pub, { poolId, clientId: hiddenClientId, username: 'rita', password: PASSWORD }),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  it('is asked with the current attributes, enforces the policy and the schema, and then signs in', async () => {
    await makeUser(t, poolId, 'nina', { permanent: false, password: TEMP, attributes: { email: 'nina@example.com', name: 'N' } });
    const init = await passwordAuth('nina', TEMP);
    expect(init.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const params = init.ChallengeParameters!;
    expect(JSON.parse(params['userAttributes']!)).toEqual({ email: 'nina@example.com', name: 'N' });
    // AdminCreateUser already demands the required attributes, so none is missing here.
    expect(JSON.parse(params['requiredAttributes']!)).toEqual([]);

    // Too short: refused, and the same Session may be answered again.
    await expectError(
      answerNewPassword(init.Session, 'nina', { NEW_PASSWORD: 'Sh0rt!', 'userAttributes.name': 'Nina' }),
      'InvalidPasswordException',
      'Password does not conform to policy: Password not long enough',
    );
    await expectError(
      answerNewPassword(init.Session, 'nina', { NEW_PASSWORD: 'nouppercase-1!' }),
      'InvalidPasswordException',
      'Password does not conform to policy: Password must have uppercase characters',
    );
    await expectError(
      answerNewPassword(init.Session, 'nina', { NEW_PASSWORD: TEMP, 'userAttributes.name': 'Nina' }),
      'InvalidPasswordException',
      /temporary password/,
    );
    await expectError(
      answerNewPassword(init.Session, 'nina', { NEW_PASSWORD: 'Brand-New-Passw0rd!', 'userAttributes.name': '' }),
      'InvalidParameterException',
      /^Attributes did not conform to the schema: name/,
    );
    await expectError(
      answerNewPassword(init.Session, 'nina', { NEW_PASSWORD: 'Brand-New-Passw0rd!', 'userAttributes.email_verified': 'true' }),
      'NotAuthorizedException',
      'A client attempted to write unauthorized attribute',
    );
    const done = await answerNewPassword(init.Session, 'nina', { NEW_PASSWORD: 'Brand-New-Passw0rd!', 'userAttributes.name': 'Nina' });
    expect(decodeJwt(done.AuthenticationResult!.IdToken!)['name']).toBe('Nina');

    // Used: the Session is gone; the temporary password no longer works, the new one does.
    await expectError(
      answerNewPassword(init.Session, 'nina', { NEW_PASSWORD: 'Another-Passw0rd!', 'userAttributes.name': 'Nina' }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
    await expectError(passwordAuth('nina', TEMP), 'NotAuthorizedException', 'Incorrect username or password.');
    expect((await passwordAuth('nina', 'Brand-New-Passw0rd!')).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('works through SRP and AdminRespondToAuthChallenge', async () => {
    await makeUser(t, poolId, 'sam', { permanent: false, password: TEMP, attributes: { name: 'Sam' } });
    const verifier = await srpSignIn(pub, { poolId, clientId, username: 'sam', password: TEMP });
    expect(verifier.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(JSON.parse(verifier.ChallengeParameters!['requiredAttributes']!)).toEqual([]);
    const done = await t.adminClient().send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: verifier.Session,
        ChallengeResponses: { USERNAME: 'sam', NEW_PASSWORD: 'Sams-New-Passw0rd!' },
      }),
    );
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
  });

  it('refuses an expired temporary password', async () => {
    await makeUser(t, poolId, 'tim', { permanent: false, password: TEMP, attributes: { name: 'Tim' } });
    t.clock.advance(8 * 24 * 3600_000);
    await expectError(passwordAuth('tim', TEMP), 'NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.');
    await expectError(passwordAuth('tim', 'Wrong-Passw0rd!'), 'NotAuthorizedException', 'Incorrect username or password.');
  });
});

describe('challenge Session', () => {
  it('expires after the client AuthSessionValidity', async () => {
    await makeUser(t, poolId, 'eve', { permanent: false, password: TEMP, attributes: { name: 'Eve' } });
    const init = await passwordAuth('eve', TEMP);
    t.clock.advance(3 * 60_000 + 1000);
    await expectError(
      answerNewPassword(init.Session, 'eve', { NEW_PASSWORD: 'Eves-New-Passw0rd!' }),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
  });

  it('honours a longer AuthSessionValidity', async () => {
    const { clientId: slow } = await makeClient(t, poolId, { AuthSessionValidity: 10 });
    await makeUser(t, poolId, 'ivy', { permanent: false, password: TEMP, attributes: { name: 'Ivy' } });
    const init = await passwordAuth('ivy', TEMP, slow);
    t.clock.advance(9 * 60_000);
    const done = await pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: slow,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: init.Session,
        ChallengeResponses: { USERNAME: 'ivy', NEW_PASSWORD: 'Ivys-New-Passw0rd!' },
      }),
    );
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('is refused when unknown, for another client, or for another user', async () => {
    await expectError(
      answerNewPassword('A'.repeat(128), 'eve', { NEW_PASSWORD: 'Eves-New-Passw0rd!' }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
    await makeUser(t, poolId, 'otto', { permanent: false, password: TEMP, attributes: { name: 'Otto' } });
    const { clientId: other } = await makeClient(t, poolId);
    const init = await passwordAuth('otto', TEMP);
    await expectError(
      pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: other,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: init.Session,
          ChallengeResponses: { USERNAME: 'otto', NEW_PASSWORD: 'Ottos-New-Passw0rd!' },
        }),
      ),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
    const again = await passwordAuth('otto', TEMP);
    await expectError(answerNewPassword(again.Session, 'nina', { NEW_PASSWORD: 'Ottos-New-Passw0rd!' }), 'NotAuthorizedException', 'Invalid session for the user.');
  });

  it('reports missing answers before touching the Session', async () => {
    await expectError(
      pub.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'x'.repeat(40), ChallengeResponses: { NEW_PASSWORD: 'x' } })),
      'InvalidParameterException',
      'Missing required parameter USERNAME',
    );
    await expectError(
      t.adminClient().send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'otto' } }),
      ),
      'InvalidParameterException',
      'Missing required parameter PASSWORD',
    );
  });
});
