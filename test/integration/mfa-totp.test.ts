import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, expectError, makeClient, makePool, makeUser, srpSignIn } from './auth-fixtures';

/** TOTP: enrolment with an access token or inside sign-in (MFA_SETUP), SOFTWARE_TOKEN_MFA sign-in. */
let t: TestPool;
let pub: CognitoIdentityProviderClient;

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
});
afterAll(async () => t?.close());

const code = (secret: string, offsetMs = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t.clock.now() + offsetMs });

/** Moves the test clock to the start of the next 30 s step, so a fresh code exists. */
const nextStep = () => t.clock.advance(30_000 - (t.clock.now() % 30_000) + 10);

function signIn(clientId: string, username: string) {
  return pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD } }));
}

function answerTotp(clientId: string, session: string | undefined, username: string, value: string) {
  return pub.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: value },
    }),
  );
}

describe('optional TOTP, enrolled with an access token', () => {
  let poolId: string;
  let clientId: string;
  let secret: string;

  beforeAll(async () => {
    poolId = await makePool(t, { MfaConfiguration: 'OPTIONAL' });
    ({ clientId } = await makeClient(t, poolId));
    await makeUser(t, poolId, 'tara');
  });

  it('enrols: associate, a wrong code, the right code, then the preference', async () => {
    const tokens = (await signIn(clientId, 'tara')).AuthenticationResult!;
    const assoc = await pub.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }));
    secret = assoc.SecretCode!;
    expect(secret).toMatch(/^[A-Z2-7]{52}$/);
    await expectError(
      pub.send(new VerifySoftwareTokenCommand({ AccessToken: tokens.AccessToken, UserCode: '000000' === code(secret) ? '111111' : '000000' })),
      'EnableSoftwareTokenMFAException',
      'Code mismatch',
    );
    const verified = await pub.send(new VerifySoftwareTokenCommand({ AccessToken: tokens.AccessToken, UserCode: code(secret), FriendlyDeviceName: 'Tara phone' }));
    expect(verified.Status).toBe('SUCCESS');
    // Verified but not yet turned on: sign-in still gives tokens straight away.
    expect((await signIn(clientId, 'tara')).AuthenticationResult).toBeDefined();
    await pub.send(new SetUserMFAPreferenceCommand({ AccessToken: tokens.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  });

  it('then asks SOFTWARE_TOKEN_MFA; a wrong code can be retried on the same Session', async () => {
    nextStep();
    const init = await signIn(clientId, 'tara');
    expect(init.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(init.ChallengeParameters).toEqual({ FRIENDLY_DEVICE_NAME: 'Tara phone' });
    const wrong = code(secret, 5 * 60_000);
    await expectError(answerTotp(clientId, init.Session, 'tara', wrong), 'CodeMismatchException', 'Invalid code or auth state for the user.');
    const ok = await answerTotp(clientId, init.Session, 'tara', code(secret));
    expect(ok.AuthenticationResult?.IdToken).toBeTruthy();
    await expectError(answerTotp(clientId, init.Session, 'tara', code(secret)), 'NotAuthorizedException', 'Invalid session for the user.');
  });

  it('refuses a code that was already used, even in a new sign-in', async () => {
    nextStep();
    const used = code(secret);
    const first = await signIn(clientId, 'tara');
    expect((await answerTotp(clientId, first.Session, 'tara', used)).AuthenticationResult).toBeDefined();
    const second = await signIn(clientId, 'tara');
    await expectError(answerTotp(clientId, second.Session, 'tara', used), 'CodeMismatchException', 'Invalid code or auth state for the user.');
    nextStep();
    expect((await answerTotp(clientId, second.Session, 'tara', code(secret))).AuthenticationResult).toBeDefined();
  });

  it('kills the Session after five wrong codes', async () => {
    nextStep();
    const init = await signIn(clientId, 'tara');
    const wrong = code(secret, 10 * 60_000);
    for (let i = 0; i < 5; i++) {
      await expectError(answerTotp(clientId, init.Session, 'tara', wrong), 'CodeMismatchException', 'Invalid code or auth state for the user.');
    }
    await expectError(answerTotp(clientId, init.Session, 'tara', code(secret)), 'NotAuthorizedException', 'Invalid session for the user.');
    // Five wrong codes also charged the lockout counter: the next sign-in waits out the back-off.
    await expectError(signIn(clientId, 'tara'), 'NotAuthorizedException', 'Password attempts exceeded');
    t.clock.advance(1500);
    expect((await signIn(clientId, 'tara')).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });
});

describe('MFA required: MFA_SETUP with TOTP inside sign-in', () => {
  it('AssociateSoftwareToken{Session} → VerifySoftwareToken{Session} → MFA_SETUP → tokens, then TOTP at every sign-in', async () => {
    const poolId = await makePool(t, { MfaConfiguration: 'ON' });
    const { clientId } = await makeClient(t, poolId);
    await makeUser(t, poolId, 'mona');

    const init = await srpSignIn(pub, { poolId, clientId, username: 'mona', password: PASSWORD });
    expect(init.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(init.ChallengeParameters!['MFAS_CAN_SETUP']!)).toEqual(['SOFTWARE_TOKEN_MFA']);

    // MFA_SETUP cannot be answered before a token is verified.
    await expectError(
      pub.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: init.Session, ChallengeResponses: { USERNAME: 'mona' } })),
      'InvalidParameterException',
    );

    const assoc = await pub.send(new AssociateSoftwareTokenCommand({ Session: init.Session }));
    expect(assoc.Session).toBeTruthy();
    expect(assoc.Session).not.toBe(init.Session);
    await expectError(pub.send(new AssociateSoftwareTokenCommand({ Session: init.Session })), 'NotAuthorizedException', 'Invalid session for the user.');

    const wrong = code(assoc.SecretCode!, 10 * 60_000);
    await expectError(pub.send(new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: wrong })), 'EnableSoftwareTokenMFAException', 'Code mismatch');
    const verified = await pub.send(new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: code(assoc.SecretCode!), FriendlyDeviceName: 'Mona app' }));
    expect(verified.Status).toBe('SUCCESS');

    const done = await pub.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: verified.Session, ChallengeResponses: { USERNAME: 'mona' } }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();

    nextStep();
    const again = await signIn(clientId, 'mona');
    expect(again.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(again.ChallengeParameters!['FRIENDLY_DEVICE_NAME']).toBe('Mona app');
    expect((await answerTotp(clientId, again.Session, 'mona', code(assoc.SecretCode!))).AuthenticationResult).toBeDefined();
  });
});

describe('pools without TOTP', () => {
  it('answer SoftwareTokenMFANotFoundException', async () => {
    const poolId = await makePool(t, { MfaConfiguration: 'OFF' });
    const { clientId } = await makeClient(t, poolId);
    await makeUser(t, poolId, 'olga');
    const tokens = (await signIn(clientId, 'olga')).AuthenticationResult!;
    await expectError(
      pub.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken })),
      'SoftwareTokenMFANotFoundException',
      'Software Token MFA has not been enabled by the userPool',
    );
  });
});
