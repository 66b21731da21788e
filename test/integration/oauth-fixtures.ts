import type { AuthenticationResultType, CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import { passwordSignIn } from '../helpers/self-service';
import { PASSWORD, makeClient, makePool, makeUser } from './auth-fixtures';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpIn, HttpOut } from '../../lib/hosted/http';
import { newCode, type CodeGrant } from '../../lib/oauth/codes';
import { writeAll } from '../../lib/db/prepared';
import { s256 } from '../../lib/oauth/pkce';

/**
 * Shared set-up for the in-process tests of /oauth2/token, /oauth2/userInfo and /oauth2/revoke: a test
 * pool with OAuth app clients, a hosted runtime on it, and authorization codes issued with
 * lib/oauth/codes over tokens the pool issued for a sign-in shaped by 'portico:scope' (decision 1).
 */
export const CB = 'https://rp.example/cb';
export const CB2 = 'https://rp.example/cb2';
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const CHALLENGE = s256(VERIFIER);
export const USERNAME = 'ravi';
export const ALL_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];

export interface AppClient {
  clientId: string;
  secret?: string;
}

export interface OAuthWorld {
  t: TestPool;
  rt: HostedRuntime;
  poolId: string;
  /** Public client (no secret). */
  pub: AppClient;
  /** Confidential clients A and B. */
  conf: AppClient;
  other: AppClient;
  client(input?: Partial<CreateUserPoolClientCommandInput>, secret?: boolean): Promise<AppClient>;
  close(): Promise<void>;
}

export async function oauthWorld(): Promise<OAuthWorld> {
  const t = await startTestPool();
  const rt = hostedRuntimeFor(t);
  const poolId = await makePool(t, { Schema: [{ Name: 'plan', AttributeDataType: 'String', Mutable: true }] });
  const make = async (input: Partial<CreateUserPoolClientCommandInput> = {}, secret = false): Promise<AppClient> =>
    makeClient(t, poolId, {
      GenerateSecret: secret,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ALL_SCOPES,
      CallbackURLs: [CB, CB2],
      SupportedIdentityProviders: ['COGNITO'],
      ...input,
    });
  const [pub, conf, other] = [await make(), await make({}, true), await make({}, true)];
  // A client made after the directory's last look at the pool: move past its rebuild throttle (2 s).
  const client = async (input: Partial<CreateUserPoolClientCommandInput> = {}, secret = false): Promise<AppClient> => {
    const c = await make(input, secret);
    t.clock.advance(2_500);
    rt.directory.invalidate(c.clientId);
    return c;
  };
  await makeUser(t, poolId, USERNAME, {
    attributes: {
      email: 'ravi@example.com',
      email_verified: 'true',
      phone_number: '+15555550100',
      name: 'Ravi Shankar',
      'custom:plan': 'gold',
    },
  });
  return { t, rt, poolId, pub, conf, other, client, close: () => t.close() };
}

export interface CodeOptions {
  scopes?: string[];
  redirectUri?: string;
  challenge?: string | null;
  nonce?: string;
}

/** Tokens from the pool for a hosted sign-in with these scopes (decision 1). */
export async function hostedTokens(w: OAuthWorld, c: AppClient, scopes: string[], nonce?: string): Promise<AuthenticationResultType> {
  return passwordSignIn(w.t.publicClient(), c.clientId, USERNAME, PASSWORD, {
    secret: c.secret,
    clientMetadata: { 'portico:scope': scopes.join(' '), ...(nonce ? { nonce } : {}) },
  });
}

/** An authorization code as the hosted front issues it after a sign-in. */
export async function issueTestCode(w: OAuthWorld, c: AppClient, o: CodeOptions = {}): Promise<{ code: string; tokens: AuthenticationResultType }> {
  const scopes = o.scopes ?? ['openid', 'email'];
  const tokens = await hostedTokens(w, c, scopes, o.nonce);
  const claims = JSON.parse(Buffer.from(tokens.AccessToken!.split('.')[1], 'base64url').toString()) as { sub: string; auth_time: number };
  const grant: CodeGrant = {
    clientId: c.clientId,
    poolId: w.poolId,
    redirectUri: o.redirectUri ?? CB,
    scopes,
    codeChallenge: o.challenge === null ? undefined : (o.challenge ?? CHALLENGE),
    nonce: o.nonce,
    authTime: claims.auth_time,
    sub: claims.sub,
  };
  const { code, write } = newCode({ box: w.rt.box, now: () => w.rt.clock.now() }, grant, {
    accessToken: tokens.AccessToken!,
    idToken: tokens.IdToken,
    refreshToken: tokens.RefreshToken,
    expiresIn: tokens.ExpiresIn ?? 3600,
  });
  await writeAll(w.rt.db, [write]);
  return { code, tokens };
}

export function basic(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

export function httpIn(
  w: OAuthWorld,
  method: string,
  path: string,
  o: { headers?: Record<string, string>; form?: Record<string, string | string[]>; body?: string } = {},
): HttpIn {
  const headers = new Headers(o.headers);
  let body = o.body ?? '';
  if (o.form) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(o.form)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
    body = p.toString();
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  return { method, url: new URL(path, `${w.t.url}/`), headers, body, cookies: {} };
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  json: Record<string, unknown>;
  raw: HttpOut;
}

export function answer(out: HttpOut): Answer {
  let json: Record<string, unknown> = {};
  if (out.body) json = JSON.parse(out.body) as Record<string, unknown>;
  return { status: out.status, headers: out.headers, json, raw: out };
}

/** RFC 6749 §5.2: error_description characters. */
export const DESCRIPTION = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
