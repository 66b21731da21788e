/**
 * What the suite and the soak share: start the BUILT Portico in its own process (fresh data, demo off,
 * known admin credentials), set up a pool, an app client and users through the Cognito API, and one
 * browserless hosted sign-in (authorize → /login → form POST → code) plus the token requests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { root, serverEntry } from '../scripts/build-state.mjs';
import { serverNodeArgs } from '../scripts/server-args.mjs';
import { waitFor } from '../test/helpers/next-server';
import { send, type Answer } from './http-client';

export const PASSWORD = 'Bench-Passw0rd!';
export const CALLBACK = 'https://rp.example/cb';

export interface Admin {
  keyId: string;
  secret: string;
}

export function newAdmin(): Admin {
  return { keyId: `PORTICOBENCH${randomBytes(4).toString('hex').toUpperCase()}`, secret: randomBytes(24).toString('base64url') };
}

export interface PorticoProcess {
  url: string;
  child: ChildProcess;
  /** Resident memory of the server and every process it forked (cluster workers), bytes. */
  rss(): number;
  /** CPU seconds (user + system) of the same tree, every thread. */
  cpuSeconds(): number;
  /** CPU seconds of the main threads only (JavaScript's one thread per process: the serial part). */
  mainThreadSeconds(): number;
  stop(signal?: NodeJS.Signals): Promise<void>;
  stderr(): string;
}

/** The pid and its descendants (Linux /proc). */
function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of fs.readdirSync(`/proc/${out[i]}/task`)) {
        const kids = fs.readFileSync(`/proc/${out[i]}/task/${task}/children`, 'utf8').trim();
        if (kids) out.push(...kids.split(' ').map(Number));
      }
    } catch {
      // the process went away between the two reads
    }
  }
  return out;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function cpuOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime of the process and of its waited-for children (a restarted worker's time stays counted).
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of a process's main thread (its task with the process's own id). */
function threadCpuOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export interface StartOptions {
  port: number;
  dataDir: string;
  admin: Admin;
  databaseUrl?: string;
  /** Extra environment (PORTICO_PROCESSES, PORTICO_CRYPTO_THREADS, PORTICO_SECRET_KEY …). */
  env?: Record<string, string>;
  nodeArgs?: string[];
  publicUrl?: string;
  /** What node runs instead of Portico's server (bench/hosted-flow.ts --next-start: `next start`). */
  entry?: string[];
  /** Another built checkout whose server runs (bench/phase-ab.ts --a-root: the code before a change). */
  checkout?: string;
}

export async function startPortico(o: StartOptions): Promise<PorticoProcess> {
  const url = `http://127.0.0.1:${o.port}`;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('PORTICO_') && k !== 'DATABASE_URL' && k !== 'PORT') env[k] = v;
  }
  // Settings the caller passes through the environment of this script (e.g. PORTICO_PROCESSES=2 npm run bench).
  for (const k of ['PORTICO_PROCESSES', 'PORTICO_CRYPTO_THREADS', 'PORTICO_HEAP_MB']) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  // The flags `npm start` gives the server (scripts/server-args.mjs), so the figures are those of a real start.
  const child = spawn(process.execPath, [...serverNodeArgs(env), ...(o.nodeArgs ?? []), ...(o.entry ?? [serverEntry(o.checkout ?? root)])], {
    cwd: o.checkout ?? root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_NO_WARNINGS: '1',
      PORT: String(o.port),
      PORTICO_URL: o.publicUrl ?? url,
      PORTICO_DATA: o.dataDir,
      PORTICO_DEMO: 'off',
      PORTICO_LOG_LEVEL: 'warn',
      PORTICO_ADMIN_KEY_ID: o.admin.keyId,
      PORTICO_ADMIN_SECRET: o.admin.secret,
      ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
      ...o.env,
    },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${err}`);
      try {
        return (await fetch(`${url}/healthz`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    },
    90_000,
    'the server',
  );
  return {
    url,
    child,
    rss: () => tree(child.pid!).reduce((sum, pid) => sum + rssOf(pid), 0),
    cpuSeconds: () => tree(child.pid!).reduce((sum, pid) => sum + cpuOf(pid), 0),
    mainThreadSeconds: () => tree(child.pid!).reduce((sum, pid) => sum + threadCpuOf(pid), 0),
    stderr: () => err,
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

export interface BenchClient {
  poolId: string;
  clientId: string;
  /** client_secret_basic for the token endpoint. */
  basic: string;
  sdk: CognitoIdentityProviderClient;
}

/** The benchmarks' pool and confidential app client (code flow, SRP; CUSTOM_AUTH for SSO sessions). */
export async function createBenchPool(sdk: CognitoIdentityProviderClient): Promise<{ poolId: string; clientId: string; basic: string }> {
  const poolId = (await sdk.send(new CreateUserPoolCommand({ PoolName: 'bench' }))).UserPool!.Id!;
  const created = await sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'bench',
      GenerateSecret: true,
      // CUSTOM_AUTH: the SSO session answers a later authorize through it (the token scenario's codes).
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [CALLBACK],
    }),
  );
  const clientId = created.UserPoolClient!.ClientId!;
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(created.UserPoolClient!.ClientSecret!)}`).toString('base64')}`;
  return { poolId, clientId, basic };
}

export async function setUpClient(url: string, admin: Admin): Promise<BenchClient> {
  const sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: admin.keyId, secretAccessKey: admin.secret }, maxAttempts: 1 });
  const { poolId, clientId, basic } = await createBenchPool(sdk);

  // The hosted front learns new clients on a directory rebuild (at most every couple of seconds).
  await waitFor(
    async () => {
      const res = await fetch(`${url}/oauth2/authorize?client_id=${clientId}`, { redirect: 'manual' });
      return (await res.text()).includes('invalid_client') ? undefined : true;
    },
    15_000,
    'the client to be known',
  );
  return { poolId, clientId, basic, sdk };
}

export async function createUser(c: BenchClient, username: string): Promise<void> {
  await c.sdk.send(new AdminCreateUserCommand({ UserPoolId: c.poolId, Username: username, MessageAction: 'SUPPRESS' }));
  await c.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: c.poolId, Username: username, Password: PASSWORD, Permanent: true }));
}

/** An HTTP answer that is not what the flow expects; `status` lets callers tell 5xx from clean errors. */
export class FlowError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    detail = '',
  ) {
    super(`${step}: ${status}${detail ? ` ${detail}` : ''}`);
  }
}

const b64url = (b: Buffer) => b.toString('base64url');

function cookiesOf(res: Answer): string {
  return res
    .setCookies()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
}

/** A cookie header from an older and a newer one, the newer value winning per name (as a browser's jar). */
function mergeCookies(older: string, newer: string): string {
  const jar = new Map<string, string>();
  for (const part of `${older}; ${newer}`.split('; ')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return [...jar].filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`).join('; ');
}

export interface AuthorizeStart {
  verifier: string;
  state: string;
  query: URLSearchParams;
}

export function authorizeRequest(clientId: string): AuthorizeStart {
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state,
    nonce: b64url(randomBytes(16)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  });
  return { verifier, state, query };
}

/**
 * The fetch metadata a browser sends with a top-level navigation (every browser Portico supports does);
 * the server decides a few things from it (e.g. whether a page may be framed needs no look-up).
 */
function navigation(site: 'cross-site' | 'same-origin'): Record<string, string> {
  return { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': site };
}

export type Step = 'authorize' | 'page' | 'post' | 'token';
export type StepTimer = <T>(step: Step, fn: () => Promise<T>) => Promise<T>;
const untimed: StepTimer = (_step, fn) => fn();

/** GET /oauth2/authorize with a new browser (no SSO): the /login path and the cookies it set. */
export async function openLogin(url: string, clientId: string, timed: StepTimer = untimed): Promise<AuthorizeStart & { loginPath: string; cookie: string }> {
  const start = authorizeRequest(clientId);
  const res = await timed('authorize', () => send(`${url}/oauth2/authorize?${start.query}`, { headers: navigation('cross-site') }));
  const loginPath = res.header('location');
  if (res.status !== 303 || !loginPath?.startsWith('/login?')) throw new FlowError('authorize', res.status);
  return { ...start, loginPath, cookie: cookiesOf(res) };
}

/** GET /login?tx=…: the form's action and CSRF token. */
export async function loadLogin(url: string, loginPath: string, cookie: string, timed: StepTimer = untimed): Promise<{ action: string; csrf: string }> {
  const page = await timed('page', async () => {
    const res = await send(`${url}${loginPath}`, { headers: { cookie, ...navigation('cross-site') } });
    return { status: res.status, html: res.text };
  });
  const action = /<form[^>]*action="([^"]+)" method="post"/.exec(page.html)?.[1]?.replace(/&amp;/g, '&');
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)?.[1];
  if (page.status !== 200 || !action || !csrf) throw new FlowError('page', page.status);
  return { action, csrf };
}

export interface SignedIn {
  code: string;
  verifier: string;
  /** The browser's cookies after sign-in (the SSO session): a later authorize needs no form. */
  cookie: string;
}

/** authorize → /login → form POST (SRP on the server) → the code. */
export async function signIn(url: string, clientId: string, username: string, timed: StepTimer = untimed): Promise<SignedIn> {
  const login = await openLogin(url, clientId, timed);
  const { action, csrf } = await loadLogin(url, login.loginPath, login.cookie, timed);
  const posted = await timed('post', () =>
    send(`${url}${action}`, {
      method: 'POST',
      headers: { cookie: login.cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded', ...navigation('same-origin') },
      body: new URLSearchParams({ csrf, username, password: PASSWORD }).toString(),
    }),
  );
  const callback = posted.header('location');
  const back = callback?.startsWith(CALLBACK) ? new URL(callback) : undefined;
  const code = back?.searchParams.get('code');
  if (posted.status !== 303 || !code || back!.searchParams.get('state') !== login.state) throw new FlowError('post', posted.status, back ? '' : 'no callback');
  const cookie = mergeCookies(login.cookie, cookiesOf(posted));
  return { code, verifier: login.verifier, cookie };
}

/** A further code from the SSO session (authorize answers with the callback directly, no form, no SRP). */
export async function ssoCode(url: string, clientId: string, cookie: string): Promise<{ code: string; verifier: string }> {
  const start = authorizeRequest(clientId);
  const res = await send(`${url}/oauth2/authorize?${start.query}`, { headers: { cookie } });
  const location = res.header('location');
  const code = location?.startsWith(CALLBACK) ? new URL(location).searchParams.get('code') : null;
  if ((res.status !== 302 && res.status !== 303) || !code) throw new FlowError('sso authorize', res.status, location?.slice(0, 40) ?? '');
  return { code, verifier: start.verifier };
}

export interface Tokens {
  id_token: string;
  access_token: string;
  refresh_token?: string;
}

export async function tokenRequest(url: string, basic: string, form: Record<string, string>, timed: StepTimer = untimed): Promise<Tokens> {
  const out = await timed('token', async () => {
    const res = await send(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    let body: Partial<Tokens> = {};
    try {
      body = JSON.parse(res.text) as Partial<Tokens>;
    } catch {
      // not JSON: the status tells
    }
    return { status: res.status, body };
  });
  if (out.status !== 200 || !out.body.id_token || !out.body.access_token) throw new FlowError('token', out.status);
  return out.body as Tokens;
}

export const redeem = (url: string, basic: string, code: string, verifier: string, timed?: StepTimer) =>
  tokenRequest(url, basic, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier }, timed);

export const refreshGrant = (url: string, basic: string, refreshToken: string) => tokenRequest(url, basic, { grant_type: 'refresh_token', refresh_token: refreshToken });

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', prefix));
}
