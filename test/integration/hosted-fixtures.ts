import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestPool } from '../helpers/pool-server';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpIn, HttpOut } from '../../lib/hosted/http';
import { handleAuthorize } from '../../lib/hosted/authorize';
import { csrfToken } from '../../lib/hosted/csrf';
import { cookieNames } from '../../lib/hosted/cookies';

/** Shared set-up for the in-process hosted dialogue tests: requests as HttpIn, a browser's cookie jar. */
export const CALLBACK = 'http://localhost:9/cb';
export const PASSWORD = 'Corr3ct-Horse!';
export const BASE = 'http://localhost:3000';

export function httpIn(method: string, pathAndQuery: string, o: { body?: Record<string, string>; cookies?: Record<string, string>; headers?: Record<string, string> } = {}): HttpIn {
  const headers = new Headers(o.headers);
  if (o.body) headers.set('content-type', 'application/x-www-form-urlencoded');
  return {
    method,
    url: new URL(pathAndQuery, BASE),
    headers,
    body: o.body ? new URLSearchParams(o.body).toString() : '',
    cookies: { ...(o.cookies ?? {}) },
  };
}

export async function makeOAuthPool(t: TestPool, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const out = await t.adminClient().send(new CreateUserPoolCommand({ PoolName: 'hosted', ...input }));
  return out.UserPool!.Id!;
}

export async function makeOAuthClient(
  t: TestPool,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ clientId: string; secret?: string }> {
  const out = await t.adminClient().send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code', 'implicit'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
      ...input,
    }),
  );
  return { clientId: out.UserPoolClient!.ClientId!, secret: out.UserPoolClient!.ClientSecret };
}

export async function makeUser(
  t: TestPool,
  poolId: string,
  username: string,
  o: { password?: string; temporary?: boolean; attributes?: Record<string, string> } = {},
): Promise<void> {
  const admin = t.adminClient();
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: o.temporary ? o.password ?? PASSWORD : undefined,
      UserAttributes: Object.entries(o.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  if (!o.temporary) {
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: o.password ?? PASSWORD, Permanent: true }));
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** One browser: its cookie jar, the transaction it is in, and helpers to walk the dialogue. */
export class Browser {
  cookies: Record<string, string> = {};
  txId = '';
  /** The last step page (path + query) the dialogue sent this browser to. */
  page = '';

  constructor(private readonly rt: HostedRuntime) {}

  private keep(out: HttpOut): HttpOut {
    for (const c of out.cookies ?? []) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/Max-Age=0/.test(c)) delete this.cookies[name];
      else this.cookies[name] = value;
    }
    const location = out.headers['location'];
    if (location?.startsWith('/') && !location.startsWith('/error')) {
      this.page = location;
      const tx = new URL(location, BASE).searchParams.get('tx');
      if (tx) this.txId = tx;
    }
    return out;
  }

  get browserId(): string {
    return this.cookies[cookieNames(false).browser] ?? '';
  }

  async authorize(params: Record<string, string>, method: 'GET' | 'POST' = 'GET'): Promise<HttpOut> {
    const req =
      method === 'GET'
        ? httpIn('GET', `/oauth2/authorize?${new URLSearchParams(params)}`, { cookies: this.cookies })
        : httpIn('POST', '/oauth2/authorize', { body: params, cookies: this.cookies });
    return this.keep(await handleAuthorize(this.rt, req));
  }

  /** Posts a form to the current step page (or `path`) with the CSRF token a page would carry. */
  async post(handler: (rt: HostedRuntime, req: HttpIn) => Promise<HttpOut>, fields: Record<string, string>, o: { path?: string; csrf?: string } = {}): Promise<HttpOut> {
    const url = new URL(o.path ?? this.page, BASE);
    const csrf = o.csrf ?? csrfToken(this.rt, this.browserId, this.txId);
    const req = httpIn('POST', `${url.pathname}${url.search}`, { body: { ...fields, csrf }, cookies: this.cookies });
    return this.keep(await handler(this.rt, req));
  }
}

export function location(out: HttpOut): URL {
  expect(out.headers['location'], `expected a redirect, got ${out.status}: ${out.body.slice(0, 200)}`).toBeDefined();
  return new URL(out.headers['location']!, BASE);
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
