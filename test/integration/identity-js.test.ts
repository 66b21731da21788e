import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type IAuthenticationCallback,
} from 'amazon-cognito-identity-js';
import { Secret, TOTP } from 'otpauth';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, decodeJwt, makeClient, makePool, makeUser } from './auth-fixtures';

/**
 * amazon-cognito-identity-js 6, unmodified, against the embedded pool (it uses Node 20's global fetch):
 * SRP sign-in, NEW_PASSWORD_REQUIRED, TOTP enrolment and sign-in, refresh, and a wrong password.
 */
let t: TestPool;
let pool: CognitoUserPool;
let poolId: string;

beforeAll(async () => {
  t = await startTestPool();
  poolId = await makePool(t, { MfaConfiguration: 'OPTIONAL' });
  // identity-js cannot send SECRET_HASH: a public client, with the default flows (SRP + refresh).
  const { clientId } = await makeClient(t, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: t.url });
});
afterAll(async () => t?.close());

type Outcome =
  | { kind: 'success'; session: CognitoUserSession }
  | { kind: 'failure'; error: { code?: string; name?: string; message: string } }
  | { kind: 'newPassword'; userAttributes: Record<string, string>; requiredAttributes: string[] }
  | { kind: 'totp'; params: Record<string, string> }
  | { kind: 'mfaSetup' };

function callbacks(resolve: (o: Outcome) => void): IAuthenticationCallback {
  return {
    onSuccess: (session) => resolve({ kind: 'success', session }),
    onFailure: (error: { code?: string; name?: string; message: string }) => resolve({ kind: 'failure', error }),
    newPasswordRequired: (userAttributes: Record<string, string>, requiredAttributes: string[]) =>
      resolve({ kind: 'newPassword', userAttributes, requiredAttributes }),
    totpRequired: (_name: string, params: Record<string, string>) => resolve({ kind: 'totp', params }),
    mfaSetup: () => resolve({ kind: 'mfaSetup' }),
  };
}

function authenticate(user: CognitoUser, password: string): Promise<Outcome> {
  return new Promise((resolve) => user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), callbacks(resolve)));
}

const totpFor = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });

describe('amazon-cognito-identity-js', () => {
  it('signs in with SRP', async () => {
    await makeUser(t, poolId, 'ida', { attributes: { email: 'ida@example.com' } });
    const user = new CognitoUser({ Username: 'ida', Pool: pool });
    const out = await authenticate(user, PASSWORD);
    expect(out.kind).toBe('success');
    const session = (out as { session: CognitoUserSession }).session;
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().decodePayload()['email']).toBe('ida@example.com');
  });

  it('fails a wrong password with NotAuthorizedException', async () => {
    const user = new CognitoUser({ Username: 'ida', Pool: pool });
    const out = await authenticate(user, 'Wrong-Passw0rd!');
    expect(out).toMatchObject({ kind: 'failure', error: { code: 'NotAuthorizedException', message: 'Incorrect username or password.' } });
  });

  it('completes NEW_PASSWORD_REQUIRED', async () => {
    await makeUser(t, poolId, 'newt', { permanent: false, password: 'Temp-Passw0rd!', attributes: { email: 'newt@example.com' } });
    const user = new CognitoUser({ Username: 'newt', Pool: pool });
    const first = await authenticate(user, 'Temp-Passw0rd!');
    expect(first).toMatchObject({ kind: 'newPassword', userAttributes: { email: 'newt@example.com' }, requiredAttributes: [] });
    const done = await new Promise<Outcome>((resolve) => user.completeNewPasswordChallenge('Newts-New-Passw0rd!', {}, callbacks(resolve)));
    expect(done.kind).toBe('success');
    const again = await authenticate(new CognitoUser({ Username: 'newt', Pool: pool }), 'Newts-New-Passw0rd!');
    expect(again.kind).toBe('success');
  });

  it('enrols TOTP, signs in with it, and refreshes its session', async () => {
    await makeUser(t, poolId, 'tess');
    const user = new CognitoUser({ Username: 'tess', Pool: pool });
    expect((await authenticate(user, PASSWORD)).kind).toBe('success');

    const secret = await new Promise<string>((resolve, reject) =>
      user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }),
    );
    await new Promise((resolve, reject) =>
      user.verifySoftwareToken(totpFor(secret).generate({ timestamp: t.clock.now() }), 'Tess phone', { onSuccess: resolve, onFailure: reject }),
    );
    await new Promise((resolve, reject) =>
      user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, (err, result) => (err ? reject(err) : resolve(result))),
    );

    // The enrolment code's step is spent; move to the next step for a fresh code.
    t.clock.advance(30_000);
    const signer = new CognitoUser({ Username: 'tess', Pool: pool });
    const challenge = await authenticate(signer, PASSWORD);
    expect(challenge).toMatchObject({ kind: 'totp', params: { FRIENDLY_DEVICE_NAME: 'Tess phone' } });
    const done = await new Promise<Outcome>((resolve) =>
      signer.sendMFACode(totpFor(secret).generate({ timestamp: t.clock.now() }), callbacks(resolve), 'SOFTWARE_TOKEN_MFA'),
    );
    expect(done.kind).toBe('success');
    const session = (done as { session: CognitoUserSession }).session;

    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      signer.refreshSession(session.getRefreshToken(), (err: Error | null, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
    );
    const before = decodeJwt(session.getAccessToken().getJwtToken());
    const after = decodeJwt(refreshed.getAccessToken().getJwtToken());
    expect(after['origin_jti']).toBe(before['origin_jti']);
    expect(after['jti']).not.toBe(before['jti']);
    expect(refreshed.getRefreshToken().getToken()).toBe(session.getRefreshToken().getToken());
  });
});
