import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { DEFAULT_HEAP_MB, HEAP_GROWING_PERCENT, serverNodeArgs, v8PoolSize } from '../../scripts/server-args.mjs';
import { parseSettings } from '../../lib/config/env';

/** What `script` prints in a process started with these flags. */
function runWith(args: string[], script: string): string {
  return spawnSync(process.execPath, [...args, '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }).stdout;
}

/** The old-generation limit V8 reports in a process started with these flags, MB. */
const heapLimitMb = (args: string[]) => Number(runWith(args, "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit))")) / 1048576;

/** The threads of a process started with these flags (Linux). */
const threadCount = (args: string[]) => Number(runWith(args, "process.stdout.write(String(require('fs').readdirSync('/proc/self/task').length))"));

const heapFlags = (args: string[]) => args.filter((a) => a.startsWith('--max-old-space-size') || a.startsWith('--heap-growing-percent'));
const GROWING = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;

describe('the server heap limit (PORTICO_HEAP_MB)', () => {
  it('gives the server a limit near the default, a set value, or none at 0', () => {
    expect(heapFlags(serverNodeArgs({}))).toEqual([`--max-old-space-size=${DEFAULT_HEAP_MB}`, GROWING]);
    expect(heapFlags(serverNodeArgs({ PORTICO_HEAP_MB: '512' }))).toEqual(['--max-old-space-size=512', GROWING]);
    expect(heapFlags(serverNodeArgs({ PORTICO_HEAP_MB: 'lots' }))).toEqual([`--max-old-space-size=${DEFAULT_HEAP_MB}`, GROWING]);
    expect(heapFlags(serverNodeArgs({ PORTICO_HEAP_MB: '0' }))).toEqual([]);
    // An operator's own NODE_OPTIONS flags win over ours.
    expect(heapFlags(serverNodeArgs({ NODE_OPTIONS: '--max-old-space-size=1024' }))).toEqual([]);
    expect(heapFlags(serverNodeArgs({ NODE_OPTIONS: '--heap-growing-percent=50' }))).toEqual([`--max-old-space-size=${DEFAULT_HEAP_MB}`]);
  });

  it('starts a process with every flag it gives (this Node knows them all)', () => {
    const args = serverNodeArgs({}, 2);
    expect(args).toContain(GROWING);
    const started = spawnSync(process.execPath, [...args, '-e', "process.stdout.write('started')"], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(started.stderr).toBe('');
    expect(started.stdout).toBe('started');
  });

  it('really bounds the heap of a process started with those flags', () => {
    const limited = heapLimitMb(serverNodeArgs({}));
    const unlimited = heapLimitMb(serverNodeArgs({ PORTICO_HEAP_MB: '0' }));
    // V8 adds the young generation to the old-generation limit it was given.
    expect(limited).toBeGreaterThanOrEqual(DEFAULT_HEAP_MB);
    expect(limited).toBeLessThan(DEFAULT_HEAP_MB + 80);
    expect(unlimited).toBeGreaterThan(limited);
  });

  it('refuses a bad value with a message naming the setting', () => {
    for (const bad of ['abc', '12', '1.5', '-1', '70000']) {
      expect(() => parseSettings({ PORTICO_HEAP_MB: bad })).toThrow(/PORTICO_HEAP_MB/);
    }
    expect(() => parseSettings({ PORTICO_HEAP_MB: '256' })).not.toThrow();
    expect(() => parseSettings({ PORTICO_HEAP_MB: '0' })).not.toThrow();
  });
});

describe("V8's helper threads for the server (--v8-pool-size)", () => {
  it('leaves one CPU of the process’s share to the main thread: at least one helper, at most four', () => {
    const table: [cpus: number, processes: number, pool: number][] = [
      [1, 1, 1],
      [2, 1, 1],
      [3, 1, 2],
      [4, 1, 3],
      [8, 1, 4],
      [64, 1, 4],
      [4, 2, 1],
      [8, 2, 3],
      [2, 4, 1],
    ];
    for (const [cpus, processes, pool] of table) expect([cpus, processes, v8PoolSize(cpus, processes)]).toEqual([cpus, processes, pool]);
  });

  it('passes the size to the server, divides the CPUs among PORTICO_PROCESSES, and yields to NODE_OPTIONS', () => {
    expect(serverNodeArgs({}, 2)).toEqual([`--max-old-space-size=${DEFAULT_HEAP_MB}`, GROWING, '--v8-pool-size=1']);
    expect(serverNodeArgs({ PORTICO_HEAP_MB: '0' }, 8)).toEqual(['--v8-pool-size=4']);
    expect(serverNodeArgs({ PORTICO_PROCESSES: '2' }, 8)).toContain('--v8-pool-size=3');
    // A bad count is cluster.ts's to refuse; here it divides nothing.
    expect(serverNodeArgs({ PORTICO_PROCESSES: 'two' }, 8)).toContain('--v8-pool-size=4');
    expect(serverNodeArgs({ NODE_OPTIONS: '--v8-pool-size=2' }, 2)).toEqual([`--max-old-space-size=${DEFAULT_HEAP_MB}`, GROWING]);
  });

  it('really starts fewer helper threads than Node’s four on two CPUs', () => {
    expect(fs.existsSync('/proc/self/task')).toBe(true);
    const ours = threadCount(serverNodeArgs({}, 2));
    const nodes = threadCount([]);
    expect(nodes - ours).toBe(3);
  });
});
