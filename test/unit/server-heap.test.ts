import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_MB, serverNodeArgs } from '../../scripts/server-args.mjs';
import { parseSettings } from '../../lib/config/env';

/** The old-generation limit V8 reports in a process started with these flags, MB. */
function heapLimitMb(args: string[]): number {
  const out = spawnSync(process.execPath, [...args, '-e', "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit))"], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return Number(out.stdout) / 1048576;
}

describe('the server heap limit (PORTICO_HEAP_MB)', () => {
  it('gives the server a limit near the default, a set value, or none at 0', () => {
    expect(serverNodeArgs({})).toEqual([`--max-old-space-size=${DEFAULT_HEAP_MB}`]);
    expect(serverNodeArgs({ PORTICO_HEAP_MB: '512' })).toEqual(['--max-old-space-size=512']);
    expect(serverNodeArgs({ PORTICO_HEAP_MB: '0' })).toEqual([]);
    // An operator's own NODE_OPTIONS flag wins over ours.
    expect(serverNodeArgs({ NODE_OPTIONS: '--max-old-space-size=1024' })).toEqual([]);
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
