/**
 * Soak (`npm run soak`, not part of npm test): two built Portico processes on one fresh PostgreSQL
 * database, behind a round-robin HTTP proxy, with `--concurrency` (50) clients each creating a user
 * (admin API) and signing it in through the hosted pages (authorize → /login → form POST with SRP → code
 * → token) for `--minutes` (5).
 *
 *   at 1/3: instance A is SIGKILLed; the proxy routes around it (a refused connection is retried on the
 *           other instance; a request A had already received is lost with a 502 from the proxy — only
 *           GETs are retried then). A is started again 10 s later, as a supervisor would.
 *   at 2/3: a TCP proxy between Portico and PostgreSQL drops every connection and refuses new ones for
 *           5 s; both instances must recover by themselves.
 *
 * Then: requests, 5xx outside the outage window (must be 0), what the clients saw inside it, users
 * created vs. able to sign in (failed sign-ins are retried after the run), codes issued vs. redeemed.
 *   npx tsx bench/soak.ts [--minutes 5] [--concurrency 50]
 */
import http from 'node:http';
import fs from 'node:fs';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureBuild } from '../scripts/build-state.mjs';
import { freePort } from '../test/helpers/next-server';
import { watchRequests } from './http-client';
import { createUser, FlowError, newAdmin, redeem, setUpClient, signIn, startPortico, tempDir, type PorticoProcess } from './portico';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const MINUTES = option('minutes', 5);
const CONCURRENCY = option('concurrency', 50);
const PG_ADMIN_URL = process.env.SOAK_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const OUTAGE_MS = 5_000;
/** After the database comes back, pools reconnect and requests queued meanwhile drain. */
const RECOVERY_MS = 10_000;
const RESTART_AFTER_MS = 10_000;
const log = (msg: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
let t0 = Date.now();

// ---- a TCP proxy in front of PostgreSQL that can drop everything -------------------------------

function tcpProxy(target: { host: string; port: number }) {
  let down = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (down) return client.destroy();
    const upstream = net.connect(target);
    open.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  });
  return {
    server,
    /** Drops every connection and refuses new ones for `ms`. */
    interrupt(ms: number) {
      down = true;
      for (const s of open) s.destroy();
      open.clear();
      setTimeout(() => (down = false), ms).unref();
    },
  };
}

// ---- a round-robin HTTP proxy in front of the two instances -----------------------------------

interface Backend {
  port: number;
  downUntil: number;
}

function frontProxy(backends: Backend[]) {
  let next = 0;
  const stats = { lostInFlight: 0, retried: 0 };
  const pick = (): Backend | undefined => {
    for (let i = 0; i < backends.length; i++) {
      const b = backends[(next + i) % backends.length]!;
      if (b.downUntil <= Date.now()) {
        next = (next + i + 1) % backends.length;
        return b;
      }
    }
    return undefined;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      const attempt = (tries: number) => {
        const backend = pick();
        if (!backend) {
          res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1', 'x-soak-proxy': '1' }).end('no instance available');
          return;
        }
        const upstream = http.request(
          { host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'keep-alive' }, agent: keepAlive },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', (e: NodeJS.ErrnoException) => {
          if (res.headersSent) return res.destroy();
          backend.downUntil = Date.now() + 2_000;
          // A refused connection never reached Portico: any method may go elsewhere. Otherwise only GETs.
          if (tries < backends.length && (e.code === 'ECONNREFUSED' || idempotent)) {
            stats.retried++;
            return attempt(tries + 1);
          }
          stats.lostInFlight++;
          res.writeHead(502, { 'content-type': 'text/plain', 'x-soak-proxy': '1' }).end('instance lost');
        });
        upstream.end(body);
      };
      attempt(1);
    });
  });
  return { server, stats };
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 128 });

// ---- set up -----------------------------------------------------------------------------------

await ensureBuild({ stdio: 'quiet' });
const dbName = `portico_soak_${randomBytes(4).toString('hex')}`;
const adminPg = new pg.Client({ connectionString: PG_ADMIN_URL });
await adminPg.connect();
await adminPg.query(`CREATE DATABASE ${dbName}`);
const pgTarget = new URL(PG_ADMIN_URL);
const pgProxy = tcpProxy({ host: pgTarget.hostname, port: Number(pgTarget.port || 5432) });
const pgProxyPort = await freePort();
await new Promise<void>((r) => pgProxy.server.listen(pgProxyPort, '127.0.0.1', r));
const databaseUrl = `postgres://${pgTarget.username || 'postgres'}@127.0.0.1:${pgProxyPort}/${dbName}`;

const frontPort = await freePort();
const frontUrl = `http://127.0.0.1:${frontPort}`;
const admin = newAdmin();
const shared = { PORTICO_SECRET_KEY: randomBytes(32).toString('base64url') };
const ports = [await freePort(), await freePort()];
const dataDirs: string[] = [];
const start = (i: number) => {
  const dataDir = tempDir(`portico-soak-${i}-`);
  dataDirs.push(dataDir);
  return startPortico({ port: ports[i]!, dataDir, admin, databaseUrl, publicUrl: frontUrl, env: shared });
};
// One after the other: the first migrates the fresh database.
const instances: PorticoProcess[] = [await start(0), await start(1)];
// A run, failed or not, must not leave servers or their data directories (one per start) behind.
process.on('exit', () => {
  instances.forEach((p) => p.child.kill('SIGKILL'));
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});
// Stopped from outside (Ctrl-C, a timeout): the instances go too, not left serving nobody.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
const backends: Backend[] = ports.map((port) => ({ port, downUntil: 0 }));
const front = frontProxy(backends);
await new Promise<void>((r) => front.server.listen(frontPort, '127.0.0.1', r));
const client = await setUpClient(frontUrl, admin);

// ---- the load -----------------------------------------------------------------------------------

type Phase = 'normal' | 'outage';
const counts = {
  requests: 0,
  flows: 0,
  usersCreated: 0,
  signedIn: 0,
  codesIssued: 0,
  codesRedeemed: 0,
  byStatus: { normal: {} as Record<string, number>, outage: {} as Record<string, number> },
  transportErrors: { normal: 0, outage: 0 },
};
const pendingSignIn: string[] = [];
/** Codes whose redemption failed: `inFlight` when the instance redeeming it was killed (it may have used it). */
const pendingCodes: { code: string; verifier: string; inFlight: boolean }[] = [];
let codesLostInFlight = 0;
let outage: { from: number; to: number } | undefined;
/** A request that overlapped the outage (started before it and ended in it, too) belongs to it. */
const phase = (from: number, to = Date.now()): Phase => (outage && to >= outage.from && from <= outage.to ? 'outage' : 'normal');
const countStatus = (status: number | string, at: number) => {
  const bucket = counts.byStatus[phase(at)];
  bucket[String(status)] = (bucket[String(status)] ?? 0) + 1;
};
/** Where 5xx and transport errors happened: method, path, status → count and the first/last second. */
const failures = new Map<string, { n: number; first: number; last: number }>();
const noteFailure = (method: string, target: string, what: string, at: number) => {
  const key = `${phase(at)} ${method} ${new URL(target).pathname} ${what}`;
  const t = Math.round((at - t0) / 1000);
  const f = failures.get(key) ?? { n: 0, first: t, last: t };
  f.n++;
  f.last = t;
  failures.set(key, f);
};

// Every request the clients make is counted by its status; fetch is wrapped once for the whole run.
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  // The harness's own readiness polls (a restarting instance) are not client traffic.
  if (String(input).endsWith('/healthz')) return realFetch(input, init);
  const at = Date.now();
  counts.requests++;
  try {
    const res = await realFetch(input, { ...init, signal: AbortSignal.timeout(30_000) });
    countStatus(res.status, at);
    // The soak's own proxy: 502 for a request the killed instance took with it, 503 when no instance is up.
    const fromProxy = res.headers.get('x-soak-proxy') ? `proxy-${res.status}` : undefined;
    if (fromProxy) countStatus(fromProxy, at);
    if (res.status >= 500) noteFailure(init?.method ?? 'GET', String(input), fromProxy ?? String(res.status), at);
    return res;
  } catch (e) {
    counts.transportErrors[phase(at)]++;
    noteFailure(init?.method ?? 'GET', String(input), (e as Error).name, at);
    throw e;
  }
}) as typeof fetch;

// The flows' own requests go through bench/http-client.ts: the same counting.
watchRequests({
  timeoutMs: 30_000,
  answered: ({ method, url, startedAt }, outcome) => {
    counts.requests++;
    if ('error' in outcome) {
      counts.transportErrors[phase(startedAt)]++;
      noteFailure(method, url, outcome.error.name, startedAt);
      return;
    }
    const { status } = outcome.answer;
    countStatus(status, startedAt);
    const fromProxy = outcome.answer.header('x-soak-proxy') ? `proxy-${status}` : undefined;
    if (fromProxy) countStatus(fromProxy, startedAt);
    if (status >= 500) noteFailure(method, url, fromProxy ?? String(status), startedAt);
  },
});

const durationMs = MINUTES * 60_000;
t0 = Date.now();
const deadline = t0 + durationMs;
let seq = 0;
async function worker(w: number): Promise<void> {
  while (Date.now() < deadline) {
    const username = `soak-${w}-${seq++}`;
    try {
      await createUser(client, username);
    } catch {
      await new Promise((r) => setTimeout(r, 200));
      continue; // not created: nothing to lose
    }
    counts.usersCreated++;
    let code: { code: string; verifier: string };
    try {
      const s = await signIn(frontUrl, client.clientId, username);
      counts.signedIn++;
      counts.codesIssued++;
      code = s;
    } catch {
      pendingSignIn.push(username);
      continue;
    }
    try {
      await redeem(frontUrl, client.basic, code.code, code.verifier);
      counts.codesRedeemed++;
    } catch (e) {
      // A clean refusal before the code was used (5xx / 503 in the outage): redeem it again later.
      if (e instanceof FlowError && e.status >= 500) pendingCodes.push({ ...code, inFlight: e.status === 502 }); // Portico sends no 502: the proxy's "instance lost"
    }
    counts.flows++;
  }
}

const killAt = t0 + durationMs / 3;
const outageAt = t0 + (2 * durationMs) / 3;
const timers = [
  setTimeout(() => {
    log('SIGKILL instance A');
    instances[0]!.child.kill('SIGKILL');
    setTimeout(() => {
      log('starting instance A again');
      void start(0).then((p) => {
        instances[0] = p;
        log('instance A is back');
      });
    }, RESTART_AFTER_MS);
  }, killAt - Date.now()),
  setTimeout(() => {
    log(`PostgreSQL connections dropped for ${OUTAGE_MS / 1000}s`);
    outage = { from: Date.now(), to: Date.now() + OUTAGE_MS + RECOVERY_MS };
    pgProxy.interrupt(OUTAGE_MS);
  }, outageAt - Date.now()),
];
const progress = setInterval(() => log(`${counts.flows} flows, ${counts.usersCreated} users, ${counts.requests} requests`), 15_000);
log(`soak: ${CONCURRENCY} concurrent sign-ins for ${MINUTES} min against two instances on PostgreSQL (${dbName})`);
await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
clearInterval(progress);
timers.forEach(clearTimeout);

// ---- after the run: users that did not get through, and codes not yet redeemed ------------------

const retried = { signIns: pendingSignIn.length, codes: pendingCodes.length };
for (const username of pendingSignIn) {
  try {
    const s = await signIn(frontUrl, client.clientId, username);
    counts.signedIn++;
    counts.codesIssued++;
    await redeem(frontUrl, client.basic, s.code, s.verifier);
    counts.codesRedeemed++;
  } catch (e) {
    log(`${username} cannot sign in: ${(e as Error).message}`);
  }
}
for (const c of pendingCodes) {
  try {
    await redeem(frontUrl, client.basic, c.code, c.verifier);
    counts.codesRedeemed++;
  } catch (e) {
    if (c.inFlight) codesLostInFlight++;
    else log(`a code was not redeemed: ${(e as Error).message}`);
  }
}

const fiveXx = (b: Record<string, number>) => Object.entries(b).filter(([s]) => /^5\d\d$/.test(s)).reduce((n, [, c]) => n + c, 0);
const fromProxy = (b: Record<string, number>) => (b['proxy-502'] ?? 0) + (b['proxy-503'] ?? 0);
const normal5xx = fiveXx(counts.byStatus.normal) - fromProxy(counts.byStatus.normal);
const outageUnclean = Object.entries(counts.byStatus.outage)
  .filter(([s]) => /^5\d\d$/.test(s) && s !== '503')
  .reduce((n, [, c]) => n + c, 0) - (counts.byStatus.outage['proxy-502'] ?? 0);
const proxyAnswers = fromProxy(counts.byStatus.normal) + fromProxy(counts.byStatus.outage);
const report = {
  minutes: MINUTES,
  concurrency: CONCURRENCY,
  requests: counts.requests,
  flows: counts.flows,
  statusOutsideOutage: counts.byStatus.normal,
  statusInOutage: counts.byStatus.outage,
  transportErrors: counts.transportErrors,
  lostInFlightAtKill: front.stats.lostInFlight,
  proxyRetries: front.stats.retried,
  usersCreated: counts.usersCreated,
  usersAbleToSignIn: counts.signedIn,
  codesIssued: counts.codesIssued,
  codesRedeemed: counts.codesRedeemed,
  codesLostWithTheKilledInstance: codesLostInFlight,
  retriedAfterRun: retried,
};
console.log(JSON.stringify(report, null, 2));
console.log(`events (s): kill ${Math.round((killAt - t0) / 1000)}, outage ${outage ? `${Math.round((outage.from - t0) / 1000)}–${Math.round((outage.to - t0) / 1000)} (with ${RECOVERY_MS / 1000}s to recover)` : 'none'}`);
for (const [key, f] of [...failures].sort()) console.log(`  ${key}: ${f.n} (s ${f.first}–${f.last})`);
if (failures.size > 0) {
  for (const [i, p] of instances.entries()) {
    const errors = p.stderr().split('\n').filter((l) => l.includes('error')).slice(-8);
    if (errors.length) console.log(`instance ${'AB'[i]}'s last errors:\n  ${errors.join('\n  ')}`);
  }
}
const checks: [string, boolean][] = [
  [`zero 5xx from Portico outside the outage window (${normal5xx})`, normal5xx === 0],
  [`only clean errors (4xx, 503) inside it (${outageUnclean} other 5xx)`, outageUnclean <= 0],
  [`no lost users (${counts.usersCreated} created, ${counts.signedIn} can sign in)`, counts.usersCreated === counts.signedIn],
  // A code the killed instance was redeeming may have been used up with its answer lost: a single-use
  // code cannot be told apart from a replay, so those are counted, not failed.
  [
    `no lost codes (${counts.codesIssued} issued, ${counts.codesRedeemed} redeemed, ${codesLostInFlight} were being redeemed by the killed instance)`,
    counts.codesIssued === counts.codesRedeemed + codesLostInFlight,
  ],
  [`answered by the soak's proxy, not Portico (502: in flight on the killed instance; 503: none up): ${proxyAnswers}`, true],
];
for (const [what, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);

// ---- tear down ----------------------------------------------------------------------------------

client.sdk.destroy();
await Promise.all(instances.map((p) => p.stop('SIGTERM')));
front.server.close();
keepAlive.destroy();
pgProxy.server.close();
await adminPg.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
await adminPg.end();
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
