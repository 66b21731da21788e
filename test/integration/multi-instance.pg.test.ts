import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { startNextServer, waitFor, type NextServer } from '../helpers/next-server';
import { createPgDatabase } from '../helpers/pg-database';
import { startRoundRobinProxy, type RoundRobinProxy } from '../helpers/round-robin-proxy';

/**
 * Two BUILT Portico processes on one PostgreSQL database, with the same PORTICO_SECRET_KEY and admin
 * credentials, behind a round-robin proxy that sends each request to the other instance than the one
 * before (Host passed through: both instances' PORTICO_URL is the proxy's). Nothing a browser or an app
 * does may depend on landing on the same instance twice: transactions, sessions, codes, lockouts and
 * signing keys all live in the database. PostgreSQL only: a SQLite file belongs to one instance.
 */
describe('several instances on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let proxy: RoundRobinProxy;
  let instances: NextServer[] = [];
  let admin: CognitoIdentityProviderClient;
  let pub: CognitoIdentityProviderClient;
  let poolId: string;
  let web: { clientId: string; secret: string };
  let api: string;
  const credentials = { keyId: `PORTICOMULTI${randomBytes(4).toString('hex').toUpperCase()}`, secret: randomBytes(24).toString('base64url') };
  const CALLBACK = 'http://localhost:9/cb';
  const PASSWORD = 'Corr3ct-Horse-Multi!';

  beforeAll(async () => {
    database = await createPgDatabase('portico_multi');
    proxy = await startRoundRobinProxy();
    const env = {
      DATABASE_URL: database.url,
      PORTICO_URL: proxy.url,
      PORTICO_SECRET_KEY: randomBytes(32).toString('base64url'),
      PORTICO_ADMIN_KEY_ID: credentials.keyId,
      PORTICO_ADMIN_SECRET: credentials.secret,
      PORTICO_DEMO: 'off',
    };
    // Started together on an empty database: both migrate it (the migration lock lets one do it).
    instances = await Promise.all([startNextServer({ env }), startNextServer({ env })]);
    proxy.setUpstreams(instances.map((s) => s.url));

    const sdk = (c: { accessKeyId: string; secretAccessKey: string }) =>
      new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: proxy.url, credentials: c, maxAttempts: 1 });
    admin = sdk({ accessKeyId: credentials.keyId, secretAccessKey: credentials.secret });
    pub = sdk({ accessKeyId: 'PUBLICCALLER00000000', secretAccessKey: 'not-the-admin-secret' });

    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'multi', MfaConfiguration: 'OFF' }))).UserPool!.Id!;
    const webClient = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    web = { clientId: webClient.UserPoolClient!.ClientId!, secret: webClient.UserPoolClient!.ClientSecret! };
    api = (
      await admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'api', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      )
    ).UserPoolClient!.ClientId!;
    for (const username of ['alice', 'bob', 'carol']) {
      await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
      await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    }
    // Each instance's hosted front learns about new clients on its own next client-map rebuild.
    for (const s of instances) {
      await waitFor(
        async () => {
          const res = await fetch(`${s.url}/oauth2/authorize?client_id=${web.clientId}`, { redirect: 'manual' });
          return (await res.text()).includes('invalid_client') ? undefined : true;
        },
        10_000,
        `the new client on ${s.url}`,
      );
    }
  }, 120_000);

  afterAll(async () => {
    admin?.destroy();
    pub?.destroy();
    await Promise.all(instances.map((s) => s.close()));
    await proxy?.close();
    await database?.drop();
  });

  /** Runs `fn` with the next request going to instance `i`; returns which instances served its requests. */
  async function on<T>(i: number, fn: () => Promise<T>): Promise<{ value: T; served: number[] }> {
    proxy.pin(i);
    const before = proxy.served.length;
    const value = await fn();
    return { value, served: proxy.served.slice(before) };
  }

  const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))?.split(';')[0];

  const authorizeUrl = () =>
    `${proxy.url}/oauth2/authorize?${new URLSearchParams({ client_id: web.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email', state: 'S' })}`;

  /** A browser's sign-in through the proxy: authorize on instance `start`, the form and its POST on the other. */
  async function hostedSignIn(username: string, start: number): Promise<{ code: string; sessionCookie: string; served: number[] }> {
    const served: number[] = [];
    const authorize = await on(start, () => fetch(authorizeUrl(), { redirect: 'manual' }));
    served.push(...authorize.served);
    expect(authorize.value.status).toBe(303);
    const browser = cookieOf(authorize.value, 'portico_browser')!;
    const page = authorize.value.headers.get('location')!;
    expect(page).toMatch(/^\/login\?tx=/);

    const other = 1 - start;
    const form = await on(other, () => fetch(`${proxy.url}${page}`, { headers: { cookie: browser } }));
    served.push(...form.served);
    const html = await form.value.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    expect(csrf).toBeTruthy();

    const post = await on(other, () =>
      fetch(`${proxy.url}${page}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: proxy.url, cookie: browser },
        body: new URLSearchParams({ csrf: csrf!, username, password: PASSWORD }),
        redirect: 'manual',
      }),
    );
    served.push(...post.served);
    expect(post.value.status).toBe(303);
    const to = new URL(post.value.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    expect(to.searchParams.get('state')).toBe('S');
    return { code: to.searchParams.get('code')!, sessionCookie: cookieOf(post.value, 'portico_session')!, served };
  }

  const redeem = (code: string) =>
    fetch(`${proxy.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${web.clientId}:${web.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: web.clientId }),
    });

  const jwksOf = async (i: number) => (await (await fetch(`${instances[i]!.url}/${poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet;

  it('a hosted sign-in started on one instance completes on the other, and its code is redeemed at the first', async () => {
    const { code, sessionCookie, served } = await hostedSignIn('alice', 0);
    expect(served).toEqual([0, 1, 1]);
    expect(code).toMatch(/^[\w-]{43}$/);
    expect(sessionCookie).toBeTruthy();

    const { value: res, served: redeemedOn } = await on(0, () => redeem(code));
    expect(redeemedOn).toEqual([0]);
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { id_token: string; access_token: string; refresh_token: string };
    const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(await jwksOf(1)), { issuer: `${proxy.url}/${poolId}`, audience: web.clientId });
    expect(payload['cognito:username']).toBe('alice');

    // The SSO session made on instance 1 signs the same browser in again on instance 0 without a form.
    const again = await on(0, () => fetch(authorizeUrl(), { headers: { cookie: sessionCookie }, redirect: 'manual' }));
    expect(again.served).toEqual([0]);
    expect([302, 303]).toContain(again.value.status);
    const back = new URL(again.value.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
  });

  it('a code redeemed ten times at once across both instances gives tokens exactly once', async () => {
    const { code } = await hostedSignIn('bob', 1);
    proxy.pin(0);
    const before = proxy.served.length;
    const answers = await Promise.all(Array.from({ length: 10 }, () => redeem(code)));
    const servedBy = proxy.served.slice(before);
    expect(servedBy.filter((i) => i === 0)).toHaveLength(5);
    expect(servedBy.filter((i) => i === 1)).toHaveLength(5);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(9);
    for (const r of answers.filter((a) => a.status === 400)) expect(((await r.json()) as { error: string }).error).toBe('invalid_grant');
    for (const r of answers.filter((a) => a.status === 200)) await r.body?.cancel();
  });

  it('lockout counts are shared: five failures alternating between the instances lock the user on both', async () => {
    const signIn = (password: string) =>
      pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: api, AuthParameters: { USERNAME: 'carol', PASSWORD: password } }));
    proxy.pin(0);
    const before = proxy.served.length;
    for (let i = 0; i < 5; i++) {
      await expect(signIn('Wrong-Passw0rd!')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    }
    // The sixth attempt, with the right password, on either instance.
    await expect(signIn(PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    await expect(signIn(PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    expect(proxy.served.slice(before)).toEqual([0, 1, 0, 1, 0, 1, 0]);
  });

  it('both instances publish the same signing keys: a token from one verifies with the JWKS of the other', async () => {
    const [a, b] = [await jwksOf(0), await jwksOf(1)];
    expect(a.keys.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    for (const [from, verifyWith] of [
      [0, 1],
      [1, 0],
    ] as const) {
      const { value: out } = await on(from, () =>
        pub.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: api, AuthParameters: { USERNAME: 'alice', PASSWORD: PASSWORD } })),
      );
      const token = out.AuthenticationResult!.IdToken!;
      expect(a.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(token).kid);
      const { payload } = await jwtVerify(token, createLocalJWKSet(verifyWith === 0 ? a : b), { issuer: `${proxy.url}/${poolId}`, audience: api });
      expect(payload['cognito:username']).toBe('alice');
    }
  });
});
