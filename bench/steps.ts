/**
 * Server CPU per step of the sign-in flow, one step type at a time (sequential, one client), so the
 * suite's per-flow CPU can be split: authorize, page, form POST (SRP + tokens), token endpoint.
 *   npx tsx bench/steps.ts [--n 300] [--profile]
 */
import fs from 'node:fs';
import { freePort } from '../test/helpers/next-server';
import { ensureBuild } from '../scripts/build-state.mjs';
import { createUser, loadLogin, newAdmin, openLogin, redeem, setUpClient, startPortico, tempDir, PASSWORD, CALLBACK } from './portico';

const argv = process.argv.slice(2);
const N = Number(argv[argv.indexOf('--n') + 1] || 300) || 300;
await ensureBuild({ stdio: 'quiet' });
const admin = newAdmin();
const PROFILE = argv.includes('--profile');
const dataDir = tempDir('portico-steps-');
const server = await startPortico({
  port: await freePort(),
  dataDir,
  admin,
  databaseUrl: process.env.DATABASE_URL,
  nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${dataDir}/profile`] : [],
});
process.on('exit', () => server.child.kill('SIGKILL'));
const client = await setUpClient(server.url, admin);
await createUser(client, 'steps-user');
const url = server.url;

async function measure<T>(label: string, items: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  const c0 = server.cpuSeconds();
  const t0 = performance.now();
  for (let i = 0; i < items; i++) out.push(await fn(i));
  const ms = performance.now() - t0;
  const cpu = (server.cpuSeconds() - c0) * 1000;
  console.log(`${label.padEnd(10)} server CPU ${(cpu / items).toFixed(2).padStart(6)} ms/op   wall ${(ms / items).toFixed(2).padStart(6)} ms/op`);
  return out;
}

for (let round = 0; round < 2; round++) {
  console.log(round === 0 ? '-- warm-up' : '-- measured');
  const starts = await measure('authorize', N, () => openLogin(url, client.clientId));
  const forms = await measure('page', N, (i) => loadLogin(url, starts[i]!.loginPath, starts[i]!.cookie));
  const codes = await measure('post', N, async (i) => {
    const res = await fetch(`${url}${forms[i]!.action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: starts[i]!.cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: forms[i]!.csrf, username: 'steps-user', password: PASSWORD }).toString(),
    });
    await res.arrayBuffer();
    const loc = res.headers.get('location') ?? '';
    if (!loc.startsWith(CALLBACK)) throw new Error(`post ${res.status} ${loc.slice(0, 60)}`);
    return new URL(loc).searchParams.get('code')!;
  });
  await measure('token', N, (i) => redeem(url, client.basic, codes[i]!, starts[i]!.verifier));
}
client.sdk.destroy();
await server.stop('SIGINT');
// The profile is kept with its data directory; otherwise nothing is left behind.
if (PROFILE) console.log(`CPU profile in ${dataDir}/profile`);
else fs.rmSync(dataDir, { recursive: true, force: true });
