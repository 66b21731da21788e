import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startNextServer, waitFor, type NextServer } from '../helpers/next-server';

/**
 * Operations against the built server (issue 6): one JSON log line per request with its id, route,
 * status, latency, pool, client and outcome; /metrics behind admin Basic with counters that move;
 * /readyz that also asks the pool; and, over sign-in, sign-up, reset, token and refresh flows driven
 * with recognisable canary values, server output that holds none of them.
 */
let server: NextServer;
let poolId: string;
let webClient: { id: string; secret: string };
let appClient: string;
const tag = randomBytes(4).toString('hex');
const CALLBACK = 'http://localhost:9/cb';
const canary = {
  password: `Canary-Pw-${tag}-1!`,
  wrongPassword: `Canary-Wrong-${tag}-2!`,
  signUpPassword: `Canary-SignUp-${tag}-3!`,
  resetPassword: `Canary-Reset-${tag}-4!`,
  temporaryPassword: `Canary-Temp-${tag}-5!`,
  newPassword: `Canary-New-${tag}-6!`,
};
/** Values the server chose during the run (codes, tokens, Session, the client secret), gathered as they appear. */
const seen: string[] = [];

beforeAll(async () => {
  server = await startNextServer({ env: { PORTICO_DEMO: 'off', PORTICO_LOG_LEVEL: 'debug' } });
  const admin = server.adminClient();
  poolId = (
    await admin.send(
      new CreateUserPoolCommand({
        PoolName: 'operations',
        AutoVerifiedAttributes: ['email'],
        AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }] },
      }),
    )
  ).UserPool!.Id!;
  const web = (
    await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    )
  ).UserPoolClient!;
  webClient = { id: web.ClientId!, secret: web.ClientSecret! };
  seen.push(webClient.secret);
  appClient = (
    await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    )
  ).UserPoolClient!.ClientId!;
  await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'alice', MessageAction: 'SUPPRESS' }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice', Password: canary.password, Permanent: true }));
  await waitFor(async () => {
    const res = await fetch(`${server.url}/oauth2/authorize?client_id=${webClient.id}`, { redirect: 'manual' });
    return (await res.text()).includes('invalid_client') ? undefined : true;
  }, 10_000, 'the new client');
}, 120_000);
afterAll(async () => server?.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function logLines(): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}

async function scrape(): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: server.basicAuth() } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one series in an exposition, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (want.length === 0 && line.startsWith(`${name} `)) return Number(line.slice(name.length + 1));
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (want.every((w) => inside.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

/** authorize → the form → POST /login; the callback's code. */
async function hostedSignIn(password: string, requestId?: string): Promise<{ status: number; location: string | null }> {
  const q = new URLSearchParams({ client_id: webClient.id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'S' });
  const start = await fetch(`${server.url}/oauth2/authorize?${q}`, { redirect: 'manual' });
  const cookie = start.headers.getSetCookie().find((c) => c.startsWith('portico_browser='))!.split(';')[0]!;
  const page = start.headers.get('location')!;
  const html = await (await fetch(`${server.url}${page}`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const res = await fetch(`${server.url}${page}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, cookie, ...(requestId ? { 'x-request-id': requestId } : {}) },
    body: new URLSearchParams({ csrf, username: 'alice', password }),
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location') };
}

async function token(body: Record<string, string>, requestId?: string): Promise<Response> {
  return fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(webClient.id, webClient.secret),
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: new URLSearchParams(body),
  });
}

async function outboxCode(to: string): Promise<string> {
  return waitFor(async () => {
    const res = await fetch(`${server.url}/dev/outbox`, { headers: { accept: 'application/json', authorization: server.basicAuth() } });
    const messages = (await res.json()) as { to: string; text: string }[];
    const m = messages.find((x) => x.to === to);
    return m ? /\b(\d{6})\b/.exec(m.text)?.[1] : undefined;
  }, 10_000, `a code for ${to}`);
}

describe('flows with canary values', () => {
  it('signs in through the hosted page, redeems the code and refreshes; the log line and the metrics say so', async () => {
    const before = await scrape();
    const failed = await hostedSignIn(canary.wrongPassword);
    expect(failed.status).toBe(303);
    expect(failed.location).not.toContain(CALLBACK);

    const ok = await hostedSignIn(canary.password);
    expect(ok.location).toContain(CALLBACK);
    const code = new URL(ok.location!).searchParams.get('code')!;
    seen.push(code);

    const granted = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, `ops-code-${tag}`);
    expect(granted.status).toBe(200);
    const tokens = (await granted.json()) as { access_token: string; id_token: string; refresh_token: string };
    seen.push(tokens.access_token, tokens.id_token, tokens.refresh_token);

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    const again = (await refreshed.json()) as { access_token: string; id_token: string };
    seen.push(again.access_token, again.id_token);
    expect((await token({ grant_type: 'refresh_token', refresh_token: 'not-a-token' })).status).toBe(400);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    // The hosted sign-in: SRP's PASSWORD_VERIFIER challenge, then tokens; the wrong password's answer failed.
    expect(moved('portico_sign_ins_total', { operation: 'InitiateAuth', outcome: 'challenge', challenge: 'PASSWORD_VERIFIER' })).toBe(2);
    expect(moved('portico_sign_ins_total', { operation: 'RespondToAuthChallenge', outcome: 'tokens', challenge: 'none' })).toBe(1);
    expect(moved('portico_sign_ins_total', { operation: 'RespondToAuthChallenge', outcome: 'NotAuthorizedException', challenge: 'PASSWORD_VERIFIER' })).toBe(1);
    expect(moved('portico_token_grants_total', { grant_type: 'authorization_code', outcome: 'ok' })).toBe(1);
    expect(moved('portico_token_grants_total', { grant_type: 'refresh_token', outcome: 'ok' })).toBe(1);
    expect(moved('portico_token_grants_total', { grant_type: 'refresh_token', outcome: 'invalid_grant' })).toBe(1);
    expect(moved('portico_http_request_duration_seconds_count', { route: '/oauth2/token', method: 'POST', status: '200' })).toBe(2);
    expect(moved('portico_http_request_duration_seconds_count', { route: '/login', method: 'POST', status: '303' })).toBe(2);

    // The request log: the token request under the id the client sent, with its pool, client and outcome.
    const line = await waitFor(() => logLines().find((l) => l.requestId === `ops-code-${tag}` && l.msg === 'request'), 5_000, 'the log line');
    expect(line).toMatchObject({ level: 'info', method: 'POST', route: '/oauth2/token', status: 200, pool: poolId, client: webClient.id, outcome: 'authorization_code' });
    expect(typeof line.ms).toBe('number');
    expect(granted.headers.get('x-request-id')).toBe(`ops-code-${tag}`);
    // A hosted page's URL carries only the transaction: the line still names its client and pool.
    expect(logLines().find((l) => l.msg === 'request' && l.route === '/login' && l.method === 'POST')).toMatchObject({ status: 303, pool: poolId, client: webClient.id });
  });

  it('signs up, confirms with the emailed code, resets the password, and answers a new-password challenge', async () => {
    const client = server.publicClient();
    const email = `canary-${tag}@example.com`;
    await client.send(new SignUpCommand({ ClientId: appClient, Username: `signup-${tag}`, Password: canary.signUpPassword, UserAttributes: [{ Name: 'email', Value: email }] }));
    const code = await outboxCode(email);
    seen.push(code);
    await expect(client.send(new ConfirmSignUpCommand({ ClientId: appClient, Username: `signup-${tag}`, ConfirmationCode: code === '000000' ? '111111' : '000000' }))).rejects.toThrow();
    await client.send(new ConfirmSignUpCommand({ ClientId: appClient, Username: `signup-${tag}`, ConfirmationCode: code }));

    await client.send(new ForgotPasswordCommand({ ClientId: appClient, Username: `signup-${tag}` }));
    const resetCode = await waitFor(async () => {
      const c = await outboxCode(email);
      return c !== code ? c : undefined;
    }, 10_000, 'the reset code');
    seen.push(resetCode);
    await client.send(new ConfirmForgotPasswordCommand({ ClientId: appClient, Username: `signup-${tag}`, ConfirmationCode: resetCode, Password: canary.resetPassword }));
    const signedIn = await client.send(
      new InitiateAuthCommand({ ClientId: appClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: `signup-${tag}`, PASSWORD: canary.resetPassword } }),
    );
    seen.push(signedIn.AuthenticationResult!.AccessToken!, signedIn.AuthenticationResult!.RefreshToken!);

    await server.adminClient().send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: `invited-${tag}`, TemporaryPassword: canary.temporaryPassword, MessageAction: 'SUPPRESS' }),
    );
    const challenge = await client.send(
      new InitiateAuthCommand({ ClientId: appClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: `invited-${tag}`, PASSWORD: canary.temporaryPassword } }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    seen.push(challenge.Session!);
    const done = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: appClient,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: `invited-${tag}`, NEW_PASSWORD: canary.newPassword },
      }),
    );
    seen.push(done.AuthenticationResult!.IdToken!);
  });

  it('counts a lockout after repeated failures', async () => {
    const before = sample(await scrape(), 'portico_lockouts_total', {});
    const client = server.publicClient();
    await server.adminClient().send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `victim-${tag}`, MessageAction: 'SUPPRESS' }));
    await server.adminClient().send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: `victim-${tag}`, Password: canary.password, Permanent: true }));
    for (let i = 0; i < 5; i++) {
      await expect(
        client.send(new InitiateAuthCommand({ ClientId: appClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: `victim-${tag}`, PASSWORD: canary.wrongPassword } })),
      ).rejects.toThrow();
    }
    const text = await scrape();
    expect(sample(text, 'portico_lockouts_total', {})).toBe(before + 1);
  });

  it('counts message deliveries', async () => {
    const text = await waitFor(async () => {
      const t = await scrape();
      return /^portico_message_deliveries_total\{[^}]*medium="EMAIL"[^}]*\} [1-9]/m.test(t) ? t : undefined;
    }, 10_000, 'a delivery to be counted');
    expect(text).toMatch(/portico_message_deliveries_total\{medium="EMAIL",outcome="(sent|outbox)"\}/);
  });

  it('never writes a password, code, token, Session or secret to its output', () => {
    const output = server.output();
    expect(output).toContain('"msg":"request"');
    for (const [name, value] of [...Object.entries(canary), ...seen.map((v, i) => [`server value ${i}`, v] as const)]) {
      expect(value.length, name).toBeGreaterThanOrEqual(6);
      expect(output.includes(value), `${name} appears in the server's output`).toBe(false);
    }
  });
});

describe('the admin and health endpoints', () => {
  it('/metrics wants the admin credentials', async () => {
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: basic(server.admin.keyId, 'nope') } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('portico_');
  });

  it('/readyz says the database and the pool answer', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', pool: 'ok' });
  });

  it('/readyz is 503 naming the pool when the pool endpoint does not answer', async () => {
    const cut = await startNextServer({ env: { PORTICO_DEMO: 'off', PORTICO_POOL_ENDPOINT: 'http://127.0.0.1:1' } });
    try {
      expect((await fetch(`${cut.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${cut.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', database: 'ok', pool: 'unreachable' });
    } finally {
      await cut.close();
    }
    // A second server starts here (a fresh PostgreSQL database on that run): more than the default 30 s on a busy machine.
  }, 120_000);
});
