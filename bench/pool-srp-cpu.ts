/**
 * Server-side CPU of one SRP sign-in (InitiateAuth + RespondToAuthChallenge) through the engine's wire
 * handler in-process, without HTTP: the figure the issue bounds at 5 ms.  npx tsx bench/pool-srp-cpu.ts
 * (PG=postgres://… for PostgreSQL; N=… sign-ins; PORTICO_CRYPTO_THREADS=0 puts the math back inline).
 * cpuMsPerSignIn counts every thread of the process; mainThreadCpuMs only Node's main thread, where the
 * exponentiations no longer run (lib/crypto/crypto-pool) and RS256 no longer signs (libuv's pool).
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { openDb } from '../lib/db';
import { createSecretBox } from '../lib/crypto/secretbox';
import { createEngine } from '../lib/userpool/engine';
import { bigFromHex, claimSignature, clientEphemeral, clientKey, computeX, srpTimestamp, toHex } from '../lib/crypto/srp-math';
import { cryptoPool } from '../lib/crypto/crypto-pool';
import { threadCpuMs } from './lib';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srpcpu-'));
const db = process.env.PG ? await openDb({ databaseUrl: process.env.PG }) : await openDb({ sqlitePath: path.join(dir, 'p.db') });
const deps = { db, box: createSecretBox('bench-key'), clock: { now: () => Date.now() }, publicUrl: 'http://localhost:3000', region: 'us-east-1', admin: { keyId: 'K', secret: 'S' } };
const engine = createEngine(deps);
const pool = await engine.call<{ UserPool: { Id: string } }>('CreateUserPool', { PoolName: 'bench' });
const poolId = pool.UserPool.Id;
const client = await engine.call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'c' });
const clientId = client.UserPoolClient.ClientId;
await engine.call('AdminCreateUser', { UserPoolId: poolId, Username: 'bench', MessageAction: 'SUPPRESS' });
await engine.call('AdminSetUserPassword', { UserPoolId: poolId, Username: 'bench', Password: 'Bench-Passw0rd!', Permanent: true });
const poolName = poolId.split('_')[1]!;

let serverCpu = 0;
let serverWall = 0;
let mainCpu = 0;
const parts = { init: 0, respond: 0 };
const mainParts = { init: 0, respond: 0 };
async function call(target: string, body: unknown, part: 'init' | 'respond') {
  const c0 = process.cpuUsage();
  const m0 = threadCpuMs();
  const w0 = performance.now();
  const res = await engine.handle({ method: 'POST', headers: { 'x-amz-target': `AWSCognitoIdentityProviderService.${target}`, 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) });
  const c = process.cpuUsage(c0);
  const m = threadCpuMs() - m0;
  mainCpu += m;
  mainParts[part] += m;
  serverCpu += (c.user + c.system) / 1000;
  parts[part] += (c.user + c.system) / 1000;
  serverWall += performance.now() - w0;
  if (res.status !== 200) throw new Error(res.body);
  return JSON.parse(res.body);
}
async function signIn() {
  const { a, A } = clientEphemeral();
  const init = await call('InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'bench', SRP_A: toHex(A) } }, 'init');
  const p = init.ChallengeParameters;
  const key = clientKey(a, A, bigFromHex(p.SRP_B), computeX(p.SALT, poolName, p.USER_ID_FOR_SRP, 'Bench-Passw0rd!'));
  const ts = srpTimestamp(new Date());
  const out = await call('RespondToAuthChallenge', { ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: init.Session, ChallengeResponses: { USERNAME: p.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: ts, PASSWORD_CLAIM_SIGNATURE: claimSignature(key, poolName, p.USER_ID_FOR_SRP, p.SECRET_BLOCK, ts) } }, 'respond');
  if (!out.AuthenticationResult) throw new Error('no tokens');
}
for (let i = 0; i < 30; i++) await signIn(); // warm-up
serverCpu = 0; serverWall = 0; parts.init = 0; parts.respond = 0;
mainCpu = 0; mainParts.init = 0; mainParts.respond = 0;
const N = Number(process.env.N ?? 300);
for (let i = 0; i < N; i++) await signIn();
console.log(
  JSON.stringify({
    db: process.env.PG ? 'postgres' : 'sqlite',
    cryptoThreads: cryptoPool().size,
    n: N,
    cpuMsPerSignIn: +(serverCpu / N).toFixed(3),
    initCpuMs: +(parts.init / N).toFixed(3),
    respondCpuMs: +(parts.respond / N).toFixed(3),
    mainThreadCpuMs: +(mainCpu / N).toFixed(3),
    mainInitCpuMs: +(mainParts.init / N).toFixed(3),
    mainRespondCpuMs: +(mainParts.respond / N).toFixed(3),
    wallMsPerSignIn: +(serverWall / N).toFixed(3),
  }),
);
await db.destroy();
fs.rmSync(dir, { recursive: true, force: true });
