// `npm run bench`: the benchmark suite (bench/suite.ts: flow, refresh, token endpoint, sign-in page at
// 1/16/64 concurrent, and the crypto floor). `--all` also runs the older single-purpose benchmarks.
// They are not tests; they print figures. Other arguments are passed on (e.g. -- --quick).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const here = path.dirname(new URL(import.meta.url).pathname);
const all = process.argv.includes('--all');
const args = process.argv.slice(2).filter((a) => a !== '--all');
const benches = all ? ['pool-srp-cpu.ts', 'pool-signin.ts', 'hosted-flow.ts', 'suite.ts'] : ['suite.ts'];
let failed = 0;
for (const name of benches) {
  const file = path.join(here, name);
  if (!fs.existsSync(file)) continue;
  console.log(`\n=== ${name} ===`);
  // Only the suite knows --quick and friends; the older ones take --seconds / --concurrency.
  const own = name === 'suite.ts' ? args : args.filter((a) => !['--quick'].includes(a));
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings', file, ...own], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_NO_WARNINGS: '1' },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
