import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { scratchDirs } from '../helpers/scratch-dirs';

/**
 * lib/server/log-streams.ts: a process whose output reader went away, with an uncaught-exception handler
 * that writes to stderr directly (as Next's does), must not spin on EPIPE. The child — plain Node, the
 * module compiled for it — measures its own CPU over the second after its first write to the dead pipes.
 */
const dir = scratchDirs('portico-epipe-')();
const MODULE = path.join(dir, 'log-streams.mjs');
fs.writeFileSync(
  MODULE,
  transformSync(fs.readFileSync(path.resolve(__dirname, '../../lib/server/log-streams.ts'), 'utf8'), { loader: 'ts', format: 'esm' }).code,
);

const CHILD = `
const fs = await import('node:fs');
const { surviveLostOutput } = await import('file://' + process.env.LOG_STREAMS_MODULE);
if (process.env.GUARD === '1') surviveLostOutput();
process.on('uncaughtException', (e) => process.stderr.write(String(e) + '\\n'));
setTimeout(() => {
  const before = process.cpuUsage();
  process.stdout.write('the reader is gone\\n');
  setTimeout(() => {
    const used = process.cpuUsage(before);
    fs.writeFileSync(process.env.OUT, String((used.user + used.system) / 1000));
    process.exit(0);
  }, 1000);
}, 300);
`;

async function cpuAfterLosingOutput(guard: boolean): Promise<number> {
  const out = path.join(dir, `cpu-${guard}`);
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_STREAMS_MODULE: MODULE, GUARD: guard ? '1' : '0', OUT: out, NODE_OPTIONS: '' },
  });
  // Whoever read the output leaves at once.
  child.stdout!.destroy();
  child.stderr!.destroy();
  await new Promise((resolve) => child.once('exit', resolve));
  return Number(fs.readFileSync(out, 'utf8'));
}

describe('lost output streams', () => {
  it('a process that lost its log reader keeps running quietly instead of spinning on EPIPE', async () => {
    const guarded = await cpuAfterLosingOutput(true);
    const unguarded = await cpuAfterLosingOutput(false);
    // Without the listeners the EPIPE → uncaught → console.error → EPIPE loop takes most of a core.
    expect(unguarded).toBeGreaterThan(400);
    expect(guarded).toBeLessThan(150);
  }, 20_000);
});
