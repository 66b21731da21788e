import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Page } from '@playwright/test';

/**
 * Shared helpers for the end-to-end specs. The web server (playwright.config.ts) runs the built app with
 * a fresh data directory (E2E_DATA) and generated admin credentials; specs make their own pools, clients
 * and users through the AWS SDK against its Cognito endpoint. Add exports; don't change existing ones.
 */
export const E2E_URL = `http://localhost:${Number(process.env.E2E_PORT ?? 3100)}`;

export function e2eDataDir(): string {
  const dir = process.env.E2E_DATA;
  if (!dir) throw new Error('E2E_DATA is not set (playwright.config.ts sets it)');
  return dir;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(e2eDataDir(), file), 'utf8')) as T;
}

/** The generated admin credentials (`{PORTICO_DATA}/admin.json`). */
export function adminCredentials(): { keyId: string; secret: string } {
  return readJson<{ keyId: string; secret: string }>('admin.json');
}

export interface DemoFile {
  poolId: string;
  clientId: string;
  clientSecret: string;
  username: string;
  email: string;
  password: string;
  issuer: string;
}

/** The demo the server created at first start (`{PORTICO_DATA}/demo.json`). */
export function demoFile(): DemoFile {
  return readJson<DemoFile>('demo.json');
}

let admin: CognitoIdentityProviderClient | undefined;

/** An SDK client signed with the admin credentials, against the e2e server's Cognito endpoint. */
export function adminClient(): CognitoIdentityProviderClient {
  const { keyId, secret } = adminCredentials();
  admin ??= new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: E2E_URL,
    credentials: { accessKeyId: keyId, secretAccessKey: secret },
    maxAttempts: 1,
  });
  return admin;
}

export const E2E_PASSWORD = 'Corr3ct-Horse-Battery!';

export async function createPool(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const out = await adminClient().send(new CreateUserPoolCommand({ PoolName: name, ...extra }));
  return out.UserPool!.Id!;
}

/** An OAuth app client (authorization code; openid email profile) with the given URLs. */
export async function createOAuthClient(
  poolId: string,
  o: { name: string; secret: boolean; callbackUrls: string[]; logoutUrls?: string[] } & Partial<CreateUserPoolClientCommandInput>,
): Promise<{ clientId: string; clientSecret?: string }> {
  const { name, secret, callbackUrls, logoutUrls, ...rest } = o;
  const out = await adminClient().send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: name,
      GenerateSecret: secret,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: callbackUrls,
      LogoutURLs: logoutUrls,
      EnableTokenRevocation: true,
      ...rest,
    }),
  );
  const clientId = out.UserPoolClient!.ClientId!;
  await waitUntilKnown(clientId);
  return { clientId, clientSecret: out.UserPoolClient!.ClientSecret };
}

/**
 * Waits until the hosted front knows a new client: its client→pool map is rebuilt on a miss at most
 * every couple of seconds, so a client created just after a rebuild is "unknown" for that long.
 */
export async function waitUntilKnown(clientId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${E2E_URL}/oauth2/authorize?${new URLSearchParams({ client_id: clientId })}`, { redirect: 'manual' });
    const body = await res.text();
    if (!body.includes('invalid_client')) return;
    if (Date.now() > deadline) throw new Error(`Portico did not learn about client ${clientId}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A confirmed user with a permanent password and a verified email. */
export async function createUser(poolId: string, username: string, password = E2E_PASSWORD, email = `${username}@example.com`): Promise<void> {
  await adminClient().send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await adminClient().send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
}

/** Fills Portico's sign-in form (by the standard autocomplete tokens) and submits it with Enter. */
export async function signInOnForm(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[autocomplete="username"]').fill(username);
  const pw = page.locator('input[autocomplete="current-password"]');
  await pw.fill(password);
  await pw.press('Enter');
}

export interface RelyingParty {
  /** `http://localhost:<port>`: register callback and logout URLs under it. */
  origin: string;
  /** Every URL the browser was sent to, in order. */
  urls: URL[];
  /** The next URL the browser is sent to after this call. */
  next(timeoutMs?: number): Promise<URL>;
  close(): Promise<void>;
}

/**
 * A stand-in relying party: a real HTTP server on a free local port that records each URL the browser
 * is sent to and answers with a tiny page. (page.route does not see a navigation that arrives through a
 * server redirect after page.goto, so a callback needs somewhere real to land.)
 */
export async function startRelyingParty(): Promise<RelyingParty> {
  const urls: URL[] = [];
  const waiters: Array<(u: URL) => void> = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://localhost:${(server.address() as AddressInfo).port}`);
    if (url.pathname !== '/favicon.ico') {
      urls.push(url);
      for (const w of waiters.splice(0)) w(url);
    }
    res.writeHead(url.pathname === '/favicon.ico' ? 404 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end('<!DOCTYPE html><title>RP</title><p>relying party</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    urls,
    next(timeoutMs = 15_000) {
      return new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the relying party at ${origin} saw no request`)), timeoutMs);
        waiters.push((u) => {
          clearTimeout(timer);
          resolve(u);
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The 6-digit code in the newest message to `to`, read from the admin `/dev/outbox` (JSON). */
export async function outboxCode(to: string): Promise<string> {
  const { keyId, secret } = adminCredentials();
  const res = await fetch(`${E2E_URL}/dev/outbox`, {
    headers: { accept: 'application/json', authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` },
  });
  if (res.status !== 200) throw new Error(`/dev/outbox answered ${res.status}`);
  const messages = (await res.json()) as Array<{ to: string; text: string }>;
  const message = messages.find((m) => m.to === to);
  const code = message ? /\b(\d{6})\b/.exec(message.text)?.[1] : undefined;
  if (!code) throw new Error(`no code to ${to} in the outbox`);
  return code;
}

/** How many messages the outbox holds for `to`. */
export async function outboxCount(to: string): Promise<number> {
  const { keyId, secret } = adminCredentials();
  const res = await fetch(`${E2E_URL}/dev/outbox`, {
    headers: { accept: 'application/json', authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` },
  });
  return ((await res.json()) as Array<{ to: string }>).filter((m) => m.to === to).length;
}

/** Chooses a language with the page's picker: with JavaScript it submits on change, without it the button does. */
export async function pickLanguage(page: Page, locale: string): Promise<void> {
  const button = page.locator('#language-picker button[type="submit"]');
  const scripted = await button.isHidden();
  await Promise.all([
    page.waitForURL(new RegExp(`[?&]lang=${locale.replace('-', '\\-')}(&|$)`)),
    (async () => {
      await page.locator('#language-picker-select').selectOption(locale);
      if (!scripted) await button.click();
    })(),
  ]);
}
