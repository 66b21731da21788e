// `npm run bench`: runs every benchmark in turn (they are not tests; they print figures).
// Each is a TypeScript script run through tsx; extra arguments are passed on (e.g. -- --seconds 5).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const here = path.dirname(new URL(import.meta.url).pathname);
const benches = ['pool-srp-cpu.ts', 'pool-signin.ts', 'hosted-flow.ts'];
const args = process.argv.slice(2);
let failed = 0;
for (const name of benches) {
  const file = path.join(here, name);
  if (!fs.existsSync(file)) continue;
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings', file, ...args], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_NO_WARNINGS: '1' },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
