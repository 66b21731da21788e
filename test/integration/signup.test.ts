import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type SignUpCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, expectError, makeClient, makePool, makeUser } from './auth-fixtures';
import { lastCode, messagesTo, passwordSignIn, wrongCode } from '../helpers/self-service';
import { secretHash } from '../../lib/userpool/secret-hash';

let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let hiddenClientId: string;

const DAY = 24 * 3600_000;

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t, { AutoVerifiedAttributes: ['email'] });
  ({ clientId } = await makeClient(t, poolId));
  ({ clientId: hiddenClientId } = await makeClient(t, poolId, { PreventUserExistenceErrors: 'ENABLED' }));
});
afterAll(async () => t?.close());

const attrs = (a: Record<string, string>) => Object.entries(a).map(([Name, Value]) => ({ Name, Value }));
const signUp = (input: Partial<SignUpCommandInput> & { Username: string }, id = clientId) =>
  pub.send(new SignUpCommand({ ClientId: id, Password: PASSWORD, ...input }));
const confirm = (username: string, code: string, extra: { ForceAliasCreation?: boolean } = {}, id = clientId) =>
  pub.send(new ConfirmSignUpCommand({ ClientId: id, Username: username, ConfirmationCode: code, ...extra }));
const adminGet = (username: string, pool = poolId) => t.adminClient().send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }));
const attr = (out: { UserAttributes?: Array<{ Name?: string; Value?: string }> }, name: string) =>
  out.UserAttributes?.find((a) => a.Name === name)?.Value;

describe('SignUp', () => {
  it('creates an UNCONFIRMED user and mails a 6-digit code to the auto-verified email', async () => {
    const out = await signUp({ Username: 'sam', UserAttributes: attrs({ email: 'sam@example.com' }) });
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 's***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await lastCode(t, 'sam@example.com')).toMatch(/^\d{6}$/);
    const user = await adminGet('sam');
    expect(user.UserStatus).toBe('UNCONFIRMED');
    expect(attr(user, 'sub')).toBe(out.UserSub);
    expect(attr(user, 'email_verified')).toBeUndefined();
    await expectError(passwordSignIn(pub, clientId, 'sam', PASSWORD), 'UserNotConfirmedException', 'User is not confirmed.');
  });

  it('refuses a taken username', async () => {
    await signUp({ Username: 'taken', UserAttributes: attrs({ email: 'taken@example.com' }) });
    await expectError(signUp({ Username: 'taken', UserAttributes: attrs({ email: 'other@example.com' }) }), 'UsernameExistsException', 'User already exists');
  });

  it('enforces the password policy with Cognito\'s wording', async () => {
    await expectError(signUp({ Username: 'weak1', Password: 'Sh0rt!' }), 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
    await expectError(signUp({ Username: 'weak2', Password: 'alllowercase1!' }), 'InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters');
    await expectError(signUp({ Username: 'weak3', Password: 'NoNumbers!!' }), 'InvalidPasswordException', 'Password did not conform with policy: Password must have numeric characters');
    await expectError(signUp({ Username: 'weak4', Password: 'NoSymbols123' }), 'InvalidPasswordException', 'Password did not conform with policy: Password must have symbol characters');
  });

  it('does not let the caller mark its own email verified', async () => {
    await expectError(
      signUp({ Username: 'cheat', UserAttributes: attrs({ email: 'cheat@example.com', email_verified: 'true' }) }),
      'NotAuthorizedException',
      'A client attempted to write unauthorized attribute',
    );
  });

  it('checks attributes against the schema', async () => {
    await expectError(signUp({ Username: 'badmail', UserAttributes: attrs({ email: 'not-an-email' }) }), 'InvalidParameterException', 'Invalid email address format.');
    await expectError(
      signUp({ Username: 'unknownattr', UserAttributes: attrs({ shoe_size: '44' }) }),
      'InvalidParameterException',
      'Attributes did not conform to the schema: Type for attribute {shoe_size} could not be determined',
    );
  });

  it('is refused when only administrators may create users', async () => {
    const closed = await makePool(t, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const { clientId: closedClient } = await makeClient(t, closed);
    await expectError(signUp({ Username: 'anyone' }, closedClient), 'NotAuthorizedException', 'SignUp is not permitted for this user pool');
  });

  it('needs SECRET_HASH for a client with a secret', async () => {
    const { clientId: secretClient, secret } = await makeClient(t, poolId, { GenerateSecret: true });
    await expectError(
      signUp({ Username: 'hashless' }, secretClient),
      'NotAuthorizedException',
      `Client ${secretClient} is configured with secret but SECRET_HASH was not received`,
    );
    await expectError(signUp({ Username: 'badhash', SecretHash: secretHash(secret!, 'someone-else', secretClient) }, secretClient), 'NotAuthorizedException', `Unable to verify secret hash for client ${secretClient}`);
    const ok = await signUp({ Username: 'hashed', SecretHash: secretHash(secret!, 'hashed', secretClient), UserAttributes: attrs({ email: 'hashed@example.com' }) }, secretClient);
    expect(ok.UserConfirmed).toBe(false);
    const code = await lastCode(t, 'hashed@example.com');
    await expectError(confirm('hashed', code, {}, secretClient), 'NotAuthorizedException', `Client ${secretClient} is configured with secret but SECRET_HASH was not received`);
    await pub.send(new ConfirmSignUpCommand({ ClientId: secretClient, Username: 'hashed', ConfirmationCode: code, SecretHash: secretHash(secret!, 'hashed', secretClient) }));
    expect((await adminGet('hashed')).UserStatus).toBe('CONFIRMED');
  });

  it('sends no code when the pool verifies nothing, and the user then waits for an administrator', async () => {
    const quiet = await makePool(t);
    const { clientId: quietClient } = await makeClient(t, quiet);
    const out = await signUp({ Username: 'waiting', UserAttributes: attrs({ email: 'waiting@example.com' }) }, quietClient);
    expect(out.CodeDeliveryDetails).toBeUndefined();
    expect(await messagesTo(t, 'waiting@example.com')).toHaveLength(0);
    await expectError(confirm('waiting', '123456', {}, quietClient), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
    await expectError(
      pub.send(new ResendConfirmationCodeCommand({ ClientId: quietClient, Username: 'waiting' })),
      'InvalidParameterException',
      'Cannot resend codes. Auto verification not turned on.',
    );
  });

  it('texts the phone when both email and phone are auto-verified (Cognito verifies only the phone)', async () => {
    const both = await makePool(t, { AutoVerifiedAttributes: ['email', 'phone_number'] });
    const { clientId: bothClient } = await makeClient(t, both);
    const out = await signUp({ Username: 'texted', UserAttributes: attrs({ email: 'texted@example.com', phone_number: '+15555550123' }) }, bothClient);
    expect(out.CodeDeliveryDetails).toEqual({ Destination: '+*******0123', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    await confirm('texted', await lastCode(t, '+15555550123'), {}, bothClient);
    const user = await adminGet('texted', both);
    expect(attr(user, 'phone_number_verified')).toBe('true');
    expect(attr(user, 'email_verified')).toBeUndefined();
  });
});

describe('ConfirmSignUp', () => {
  it('refuses wrong and expired codes, confirms with the right one, and cannot confirm twice', async () => {
    await signUp({ Username: 'carol', UserAttributes: attrs({ email: 'carol@example.com' }) });
    const code = await lastCode(t, 'carol@example.com');
    await expectError(confirm('carol', wrongCode(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    await confirm('carol', code);
    const user = await adminGet('carol');
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(attr(user, 'email_verified')).toBe('true');
    await expectError(confirm('carol', code), 'NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
    const tokens = await passwordSignIn(pub, clientId, 'carol', PASSWORD);
    expect(tokens.AccessToken).toBeTruthy();
  });

  it('lets a code expire after 24 hours', async () => {
    await signUp({ Username: 'late', UserAttributes: attrs({ email: 'late@example.com' }) });
    const code = await lastCode(t, 'late@example.com');
    t.clock.advance(DAY + 1000);
    await expectError(confirm('late', code), 'ExpiredCodeException', 'Invalid code provided, please request a code again.');
    expect((await adminGet('late')).UserStatus).toBe('UNCONFIRMED');
  });

  it('voids the code after too many wrong guesses', async () => {
    await signUp({ Username: 'guesser', UserAttributes: attrs({ email: 'guesser@example.com' }) });
    const code = await lastCode(t, 'guesser@example.com');
    for (let i = 0; i < 5; i++) {
      await expectError(confirm('guesser', wrongCode(code)), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    await expectError(confirm('guesser', code), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'guesser' }));
    await confirm('guesser', await lastCode(t, 'guesser@example.com'));
    expect((await adminGet('guesser')).UserStatus).toBe('CONFIRMED');
  });

  it('names a missing user in LEGACY mode and hides it when PreventUserExistenceErrors is ENABLED', async () => {
    await expectError(confirm('ghost', '123456'), 'UserNotFoundException', 'Username/client id combination not found.');
    await expectError(confirm('ghost', '123456', {}, hiddenClientId), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
  });
});

describe('ResendConfirmationCode', () => {
  it('replaces the code: the old one stops working', async () => {
    await signUp({ Username: 'dave', UserAttributes: attrs({ email: 'dave@example.com' }) });
    const first = await lastCode(t, 'dave@example.com');
    const out = await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'dave' }));
    expect(out.CodeDeliveryDetails).toEqual({ Destination: 'd***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const second = await lastCode(t, 'dave@example.com');
    expect(await messagesTo(t, 'dave@example.com')).toHaveLength(2);
    if (first !== second) {
      await expectError(confirm('dave', first), 'CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    await confirm('dave', second);
  });

  it('limits how many codes one user can ask for in an hour', async () => {
    await signUp({ Username: 'spammer', UserAttributes: attrs({ email: 'spammer@example.com' }) });
    const resend = () => pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'spammer' }));
    for (let i = 0; i < 4; i++) await resend();
    await expectError(resend(), 'LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    t.clock.advance(3600_000 + 1000);
    await resend();
  });

  it('answers for unknown and confirmed users by mode', async () => {
    const resend = (username: string, id: string) => pub.send(new ResendConfirmationCodeCommand({ ClientId: id, Username: username }));
    await expectError(resend('ghost', clientId), 'UserNotFoundException', 'Username/client id combination not found.');
    await makeUser(t, poolId, 'confirmed-one', { attributes: { email: 'c1@example.com', email_verified: 'true' } });
    await expectError(resend('confirmed-one', clientId), 'InvalidParameterException', 'User is already confirmed.');
    const pretend = await resend('ghost', hiddenClientId);
    expect(pretend.CodeDeliveryDetails).toEqual({ Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await resend('ghost', hiddenClientId)).toMatchObject({ CodeDeliveryDetails: pretend.CodeDeliveryDetails });
    const confirmed = await resend('confirmed-one', hiddenClientId);
    expect(confirmed.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect(await messagesTo(t, 'c1@example.com')).toHaveLength(0);
  });
});

describe('pools where the email is the username', () => {
  let emailPool: string;
  let emailClient: string;
  beforeAll(async () => {
    emailPool = await makePool(t, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    ({ clientId: emailClient } = await makeClient(t, emailPool));
  });

  it('requires an email, stores the sub as the username and confirms by email', async () => {
    await expectError(signUp({ Username: 'plainname' }, emailClient), 'InvalidParameterException', 'Username should be an email.');
    const out = await signUp({ Username: 'erin@example.com' }, emailClient);
    const user = await adminGet('erin@example.com', emailPool);
    expect(user.Username).toBe(out.UserSub);
    expect(attr(user, 'email')).toBe('erin@example.com');
    await confirm('erin@example.com', await lastCode(t, 'erin@example.com'), {}, emailClient);
    expect((await adminGet(out.UserSub!, emailPool)).UserStatus).toBe('CONFIRMED');
    const tokens = await passwordSignIn(pub, emailClient, 'erin@example.com', PASSWORD);
    expect(tokens.IdToken).toBeTruthy();
  });

  it('refuses a second account with the same email', async () => {
    await signUp({ Username: 'frank@example.com' }, emailClient);
    await expectError(signUp({ Username: 'frank@example.com' }, emailClient), 'UsernameExistsException', 'An account with the given email already exists.');
  });
});

describe('pools with an email alias', () => {
  let aliasPool: string;
  let aliasClient: string;
  beforeAll(async () => {
    aliasPool = await makePool(t, { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    ({ clientId: aliasClient } = await makeClient(t, aliasPool));
  });

  it('refuses an email-shaped username', async () => {
    await expectError(
      signUp({ Username: 'gina@example.com' }, aliasClient),
      'InvalidParameterException',
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
  });

  it('reports an alias taken by someone else, and moves it with ForceAliasCreation', async () => {
    await makeUser(t, aliasPool, 'owner', { attributes: { email: 'shared@example.com', email_verified: 'true' } });
    await signUp({ Username: 'newcomer', UserAttributes: attrs({ email: 'shared@example.com' }) }, aliasClient);
    const code = await lastCode(t, 'shared@example.com');
    await expectError(confirm('newcomer', code, {}, aliasClient), 'AliasExistsException', 'An account with the email already exists.');
    expect((await adminGet('newcomer', aliasPool)).UserStatus).toBe('UNCONFIRMED');
    await confirm('newcomer', code, { ForceAliasCreation: true }, aliasClient);
    expect((await adminGet('newcomer', aliasPool)).UserStatus).toBe('CONFIRMED');
    expect(attr(await adminGet('owner', aliasPool), 'email_verified')).toBe('false');
    const tokens = await passwordSignIn(pub, aliasClient, 'shared@example.com', PASSWORD);
    expect(tokens.AccessToken).toBeTruthy();
  });
});
