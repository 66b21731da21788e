/**
 * Embedded pool sign-in benchmark (issue 2): USER_SRP_AUTH (InitiateAuth + RespondToAuthChallenge),
 * USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH over HTTP with 16 concurrent clients against a pool server
 * in its own process, plus the server's CPU time per sign-in.
 *   npx tsx bench/pool-signin.ts [--seconds 10] [--concurrency 16]
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { passwordClaim, startSrp } from '../lib/pool-client/srp-client';
import { formatResult, runLoad } from './lib';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const CONCURRENCY = arg('concurrency', 16);
const PASSWORD = 'Bench-Passw0rd!';

const child = spawn(process.execPath, ['--import', 'tsx', new URL('./pool-server.ts', import.meta.url).pathname], {
  stdio: ['pipe', 'pipe', 'inherit'],
  env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
const lines = readline.createInterface({ input: child.stdout! });
const pending: Array<(line: string) => void> = [];
lines.on('line', (line) => pending.shift()?.(line));
const nextLine = () => new Promise<string>((resolve) => pending.push(resolve));
const { url, admin } = JSON.parse(await nextLine()) as { url: string; admin: { keyId: string; secret: string } };
const serverCpu = async () => {
  child.stdin!.write('cpu\n');
  const { cpu, mainMs, rss } = JSON.parse(await nextLine()) as { cpu: { user: number; system: number }; mainMs: number; rss: number };
  return { micros: cpu.user + cpu.system, mainMs, rss };
};

const sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: admin.keyId, secretAccessKey: admin.secret }, maxAttempts: 1 });
const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: 'bench' }));
const poolId = pool.UserPool!.Id!;
const client = await sdk.send(
  new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: 'bench',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }),
);
const clientId = client.UserPoolClient!.ClientId!;
const users = Array.from({ length: CONCURRENCY }, (_, i) => `bench-user-${i}`);
for (const Username of users) {
  await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, MessageAction: 'SUPPRESS' }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: PASSWORD, Permanent: true }));
}

async function call<T>(operation: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { __type?: string; message?: string };
  if (res.status !== 200) throw new Error(`${operation}: ${json.__type} ${json.message}`);
  return json;
}

interface AuthOut {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
  AuthenticationResult?: { RefreshToken?: string; AccessToken?: string };
}

async function srpSignIn(worker: number): Promise<void> {
  const start = startSrp();
  const init = await call<AuthOut>('InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: users[worker], SRP_A: start.srpA } });
  const p = init.ChallengeParameters!;
  const claim = passwordClaim(start, poolId, { SALT: p.SALT!, SRP_B: p.SRP_B!, SECRET_BLOCK: p.SECRET_BLOCK!, USER_ID_FOR_SRP: p.USER_ID_FOR_SRP! }, PASSWORD);
  const out = await call<AuthOut>('RespondToAuthChallenge', { ChallengeName: 'PASSWORD_VERIFIER', ClientId: clientId, Session: init.Session, ChallengeResponses: claim });
  if (!out.AuthenticationResult?.AccessToken) throw new Error('no tokens');
}

async function passwordSignIn(worker: number): Promise<void> {
  const out = await call<AuthOut>('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: users[worker], PASSWORD } });
  if (!out.AuthenticationResult?.AccessToken) throw new Error('no tokens');
}

const refreshTokens: string[] = [];
for (const USERNAME of users) {
  const out = await call<AuthOut>('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME, PASSWORD } });
  refreshTokens.push(out.AuthenticationResult!.RefreshToken!);
}
async function refresh(worker: number): Promise<void> {
  const out = await call<AuthOut>('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshTokens[worker] } });
  if (!out.AuthenticationResult?.AccessToken) throw new Error('no tokens');
}

console.log(`embedded pool over HTTP, ${CONCURRENCY} concurrent clients, ${SECONDS}s each (server in its own process)`);
for (const [name, task] of [
  ['USER_SRP_AUTH (2 calls)', srpSignIn],
  ['USER_PASSWORD_AUTH', passwordSignIn],
  ['REFRESH_TOKEN_AUTH', refresh],
] as const) {
  await runLoad('warm-up', CONCURRENCY, 1, task);
  const before = await serverCpu();
  const r = await runLoad(name, CONCURRENCY, SECONDS, task);
  const after = await serverCpu();
  const perOp = r.count > 0 ? (after.micros - before.micros) / 1000 / r.count : NaN;
  const mainPerOp = r.count > 0 ? (after.mainMs - before.mainMs) / r.count : NaN;
  console.log(formatResult(r, `  server CPU ${perOp.toFixed(2)} ms/op (main thread ${mainPerOp.toFixed(2)})  rss ${(after.rss / 1048576).toFixed(0)} MB`));
}
child.stdin!.end();
await new Promise((resolve) => child.on('exit', resolve));
sdk.destroy();
