import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ISignUpResult,
} from 'amazon-cognito-identity-js';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { makeClient, makePool } from './auth-fixtures';
import { lastCode, wrongCode } from '../helpers/self-service';

/**
 * amazon-cognito-identity-js 6, unmodified, through the whole self-service journey: sign up, confirm,
 * sign in, read and change attributes, verify the new email, change the password, forget and reset it,
 * refresh, and sign out everywhere.
 */
let t: TestPool;
let pool: CognitoUserPool;

const PASSWORD = 'Sign-up-Passw0rd!';
const CHANGED = 'Chang3d-Passw0rd!';
const RESET = 'R3set-Passw0rd!';

beforeAll(async () => {
  t = await startTestPool();
  const poolId = await makePool(t, { AutoVerifiedAttributes: ['email'] });
  const { clientId } = await makeClient(t, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: t.url });
});
afterAll(async () => t?.close());

type Err = { code?: string; name?: string; message: string };

/** identity-js speaks node-style callbacks; the error's `code` is Cognito's __type. */
function call<T>(fn: (cb: (err: Err | undefined | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

function signIn(user: CognitoUser, password: string): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  );
}

describe('amazon-cognito-identity-js self-service', () => {
  it('runs sign-up, profile changes, password change, reset, refresh and global sign-out', async () => {
    const signUp = await call<ISignUpResult>((cb) =>
      pool.signUp('nora', PASSWORD, [new CognitoUserAttribute({ Name: 'email', Value: 'nora@example.com' })], [], cb),
    );
    expect(signUp.userConfirmed).toBe(false);
    expect(signUp.codeDeliveryDetails.DeliveryMedium).toBe('EMAIL');
    const user = signUp.user;
    const signUpCode = await lastCode(t, 'nora@example.com');
    await expect(call((cb) => user.confirmRegistration(wrongCode(signUpCode), true, cb))).rejects.toMatchObject({
      code: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
    expect(await call((cb) => user.confirmRegistration(signUpCode, true, cb))).toBe('SUCCESS');

    await signIn(user, PASSWORD);
    const attributes = await call<CognitoUserAttribute[]>((cb) => user.getUserAttributes(cb));
    expect(Object.fromEntries(attributes.map((a) => [a.getName(), a.getValue()]))).toMatchObject({ email: 'nora@example.com', email_verified: 'true' });

    await call((cb) => user.updateAttributes([new CognitoUserAttribute({ Name: 'email', Value: 'nora.new@example.com' })], cb));
    const code = await lastCode(t, 'nora.new@example.com');
    await new Promise<void>((resolve, reject) => user.verifyAttribute('email', code, { onSuccess: () => resolve(), onFailure: reject }));

    await expect(call((cb) => user.changePassword('Wr0ng-Passw0rd!', CHANGED, cb))).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    expect(await call((cb) => user.changePassword(PASSWORD, CHANGED, cb))).toBe('SUCCESS');

    await new Promise<void>((resolve, reject) => user.forgotPassword({ onSuccess: () => resolve(), onFailure: reject, inputVerificationCode: () => resolve() }));
    const resetCode = await lastCode(t, 'nora.new@example.com');
    await new Promise<void>((resolve, reject) => user.confirmPassword(resetCode, RESET, { onSuccess: () => resolve(), onFailure: reject }));

    const fresh = new CognitoUser({ Username: 'nora', Pool: pool });
    const session = await signIn(fresh, RESET);
    const refreshed = await call<CognitoUserSession>((cb) => fresh.refreshSession(session.getRefreshToken(), cb));
    expect(refreshed.getAccessToken().decodePayload()['origin_jti']).toBe(session.getAccessToken().decodePayload()['origin_jti']);

    await new Promise<void>((resolve, reject) => fresh.globalSignOut({ onSuccess: () => resolve(), onFailure: reject }));
    await expect(call((cb) => fresh.refreshSession(session.getRefreshToken(), cb))).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
  });
});
