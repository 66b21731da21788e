import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoPool, RandomPowers, cryptoPool, modPowChainAsync, modPowNAsync, modPowNBatchAsync, signRs256Async, type ModexpJob } from '../../lib/crypto/crypto-pool';
import { runWithRequest } from '../../lib/observability/context';
import {
  N,
  SrpError,
  clientEphemeralAsync,
  clientKey,
  clientKeyAsync,
  computeVerifier,
  computeVerifierAsync,
  computeX,
  g,
  k,
  modPowN,
  randomExponent,
  serverEphemeralAsync,
  serverKey,
  serverKeyAsync,
} from '../../lib/crypto/srp-math';

/**
 * The crypto threads compute exactly what the main thread does (lib/crypto/crypto-pool.ts): random and
 * edge inputs (results with leading zero bytes, degenerate bases, exponent 0), the SRP steps built on
 * them, and the pool's own behaviour (order, a thread that dies, an idle pool not holding the process).
 */
const random = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);

/** modPowN's outcome as a value: the number, or 'SrpError'. */
function syncOutcome(fn: () => bigint): bigint | string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SrpError) return 'SrpError';
    throw e;
  }
}

async function asyncOutcome(p: Promise<bigint>): Promise<bigint | string> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof SrpError) return 'SrpError';
    throw e;
  }
}

const pool = cryptoPool();
afterAll(() => pool.close());

describe('modPowNAsync on the crypto threads', () => {
  it('is sized by PORTICO_CRYPTO_THREADS, else by the CPU count (1 to 4), and starts threads only when used', async () => {
    const configured = process.env.PORTICO_CRYPTO_THREADS?.trim();
    expect(pool.size).toBe(configured ? Number(configured) : Math.min(4, Math.max(1, os.availableParallelism())));
    expect(await modPowNAsync(3n, 5n)).toBe(243n);
    expect(pool.stats().threads).toBe(pool.size === 0 ? 0 : 1);
  });

  it('equals modPowN over random bases and exponents of every size', async () => {
    const cases: [bigint, bigint][] = [];
    for (const expBytes of [1, 2, 16, 32, 64, 128, 384]) {
      for (let i = 0; i < 12; i++) cases.push([random(384), random(expBytes)]);
    }
    for (let i = 0; i < 12; i++) cases.push([random(8), random(32)]); // small bases
    for (let i = 0; i < 6; i++) cases.push([-random(384), random(32)]); // negative bases reduce mod N
    const results = await Promise.all(cases.map(([b, e]) => asyncOutcome(modPowNAsync(b, e))));
    cases.forEach(([b, e], i) => expect(results[i], `case ${i}`).toEqual(syncOutcome(() => modPowN(b, e))));
    expect(results.filter((r) => r === 'SrpError').length).toBeLessThan(3);
  });

  it('strips OpenSSL’s zero padding: small results come back as the same small numbers', async () => {
    // computeSecret pads to the prime's 384 bytes; 2^10, (N−2)^2 = 4 and a result under 2^2000 must not grow.
    expect(await modPowNAsync(2n, 10n)).toBe(1024n);
    expect(await modPowNAsync(N - 2n, 2n)).toBe(4n);
    expect(await modPowNAsync(2n, 1999n)).toBe(2n ** 1999n);
    expect(await modPowNAsync(2n, 1999n)).toBe(modPowN(2n, 1999n));
    // Results whose top byte is 0 (about 1 in 256 random ones): find some and compare.
    let found = 0;
    for (let i = 0; found < 3 && i < 4000; i++) {
      const e = random(32);
      const sync = modPowN(g, e);
      if (sync.toString(16).length <= 766) {
        found++;
        expect(await modPowNAsync(g, e)).toBe(sync);
      }
    }
    expect(found).toBe(3);
  });

  it('degenerate bases are SrpError on both paths; exponent 0 is 1 even for them', async () => {
    for (const base of [0n, 1n, N - 1n, N, N + 1n, -1n, 2n * N, N - 1n + N]) {
      expect(syncOutcome(() => modPowN(base, 12345n))).toBe('SrpError');
      await expect(modPowNAsync(base, 12345n)).rejects.toBeInstanceOf(SrpError);
      expect(await modPowNAsync(base, 0n)).toBe(modPowN(base, 0n));
    }
    expect(await modPowNAsync(N - 2n, 7n)).toBe(modPowN(N - 2n, 7n)); // just inside the range
  });

  it('the chained form is modPowN((mul·modPowN(base, exp) + add) mod N, exp2), degenerate steps included', async () => {
    for (let i = 0; i < 20; i++) {
      const [base, exp, mul, add, exp2] = [random(384), random(32), i % 2 ? -random(32) : random(384), random(384), random(64)];
      expect(await asyncOutcome(modPowChainAsync(base, exp, mul, add, exp2))).toEqual(
        syncOutcome(() => modPowN(mul * modPowN(base, exp) + add, exp2)),
      );
    }
    await expect(modPowChainAsync(1n, 5n, 3n, 0n, 7n)).rejects.toBeInstanceOf(SrpError); // first base degenerate
    await expect(modPowChainAsync(g, 5n, 0n, 1n, 7n)).rejects.toBeInstanceOf(SrpError); // second base is 1
    await expect(modPowChainAsync(g, 5n, 1n, -1n - 32n, 7n)).rejects.toBeInstanceOf(SrpError); // 2^5 − 33 ≡ N − 1
    expect(await modPowChainAsync(g, 5n, 1n, 0n, 0n)).toBe(1n);
  });

  it('a batch answers in order, and one degenerate base rejects the batch', async () => {
    const pairs = Array.from({ length: 8 }, () => [random(384), random(32)] as const);
    expect(await modPowNBatchAsync(pairs)).toEqual(pairs.map(([b, e]) => modPowN(b, e)));
    await expect(modPowNBatchAsync([[3n, 5n], [1n, 5n]])).rejects.toBeInstanceOf(SrpError);
  });
});

describe('SRP steps: async forms equal the sync ones', () => {
  it('verifier, ephemerals and both session keys, over many random sessions', async () => {
    for (let i = 0; i < 24; i++) {
      // Salts that exercise padHex: top bit set, leading zero byte, plain.
      const salt = randomBytes(16);
      if (i % 3 === 0) salt[0] = 0x80 | salt[0]!;
      if (i % 3 === 1) salt[0] = 0;
      const x = computeX(salt.toString('hex'), 'Pool7', `user-${i}`, `Passw0rd!${i}`);
      const v = await computeVerifierAsync(x);
      expect(v).toBe(computeVerifier(x));

      const { a, A } = await clientEphemeralAsync();
      expect(A).toBe(modPowN(g, a));
      const { b, B } = await serverEphemeralAsync(v);
      expect(B).toBe((k * v + modPowN(g, b)) % N);

      const serverAsync = await serverKeyAsync(A, B, b, v);
      const clientAsync = await clientKeyAsync(a, A, B, x);
      expect(serverAsync.equals(serverKey(A, B, b, v))).toBe(true);
      expect(clientAsync.equals(clientKey(a, A, B, x))).toBe(true);
      expect(clientAsync.equals(serverAsync)).toBe(true);
      // A wrong password gives another key on the async path too.
      const wrong = await clientKeyAsync(a, A, B, computeX(salt.toString('hex'), 'Pool7', `user-${i}`, 'nope'));
      expect(wrong.equals(serverAsync)).toBe(false);
    }
  });

  it('refuses degenerate A, B and bases as the sync forms do', async () => {
    const v = computeVerifier(randomExponent());
    const { b, B } = await serverEphemeralAsync(v);
    const { a, A } = await clientEphemeralAsync();
    await expect(serverKeyAsync(N, B, b, v)).rejects.toBeInstanceOf(SrpError);
    await expect(serverKeyAsync(2n * N, B, b, v)).rejects.toBeInstanceOf(SrpError);
    await expect(clientKeyAsync(a, A, N, 5n)).rejects.toBeInstanceOf(SrpError);
    // A·v^u ≡ 1 when A = v^−u: take a "verifier" of 1 instead, which is degenerate in the first step.
    expect(() => serverKey(A, B, b, 1n)).toThrow(SrpError);
    await expect(serverKeyAsync(A, B, b, 1n)).rejects.toBeInstanceOf(SrpError);
    // B = k·g^x + 1: then B − k·g^x = 1, degenerate in the second step.
    const x = 77n;
    const evilB = (k * modPowN(g, x) + 1n) % N;
    expect(() => clientKey(a, A, evilB, x)).toThrow(SrpError);
    await expect(clientKeyAsync(a, A, evilB, x)).rejects.toBeInstanceOf(SrpError);
  });
});

/** A pool for one test, closed after it whatever happens. */
async function withPool(p: CryptoPool, use: (p: CryptoPool) => Promise<void>): Promise<void> {
  try {
    await use(p);
  } finally {
    await p.close();
  }
}

describe('CryptoPool', () => {
  const jobs = (count: number, expBytes = 128): ModexpJob[] => Array.from({ length: count }, () => [random(384), random(expBytes)] as const);

  it('answers many concurrent tasks correctly with no more threads than its size', async () => {
    await withPool(new CryptoPool(2), async (p) => {
      const tasks = Array.from({ length: 30 }, () => jobs(2, 32));
      const results = await Promise.all(tasks.map((t) => p.run(t)));
      tasks.forEach((t, i) => expect(results[i]).toEqual(t.map(([b, e]) => modPowN(b, e))));
      expect(p.stats()).toMatchObject({ size: 2, threads: 2, busy: 0, queued: 0, restarts: 0 });
    });
  });

  it('serves tasks first come, first served', async () => {
    await withPool(new CryptoPool(1), async (p) => {
      const order: number[] = [];
      await Promise.all([jobs(6), jobs(1, 1), jobs(1, 1), jobs(3)].map((t, i) => p.run(t).then(() => order.push(i))));
      expect(order).toEqual([0, 1, 2, 3]);
    });
  });

  it('serves the oldest request first; work from outside a request queues as of when it was asked', async () => {
    await withPool(new CryptoPool(1, 1), async (p) => {
      const order: string[] = [];
      const ask = (label: string, startedAt?: number) => {
        const run = () => p.run(jobs(1, 1)).then(() => order.push(label));
        return startedAt === undefined ? run() : runWithRequest({ requestId: label, startedAt }, run);
      };
      // The thread is busy with the first task; the others wait in the queue, asked in this order.
      const busy = p.run(jobs(8));
      const asked = [ask('request at 300', 300), ask('no request'), ask('request at 100', 100), ask('request at 200', 200), ask('second at 100', 100)];
      expect(p.stats()).toMatchObject({ inFlight: 1, queued: 5 });
      await Promise.all([busy, ...asked]);
      expect(order).toEqual(['request at 100', 'second at 100', 'request at 200', 'request at 300', 'no request']);
    });
  });

  it('a later request waits behind an older one already queued, and is not overtaken by a later one', async () => {
    await withPool(new CryptoPool(1, 1), async (p) => {
      const order: number[] = [];
      const busy = p.run(jobs(8));
      const asked = [50, 10, 30, 20].map((at) => runWithRequest({ requestId: String(at), startedAt: at }, () => p.run(jobs(1, 1)).then(() => order.push(at))));
      await Promise.all([busy, ...asked]);
      expect(order).toEqual([10, 20, 30, 50]);
    });
  });

  it('signs RS256 on its threads: the same signature node:crypto makes, and a key that cannot sign is an error', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await withPool(new CryptoPool(2), async (p) => {
      const inputs = Array.from({ length: 6 }, (_, i) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(`{"n":${i}}`).toString('base64url')}`);
      const signatures = await Promise.all(inputs.map((rs256) => p.run([{ rs256, key: privateKey }])));
      inputs.forEach((input, i) => {
        // RSASSA-PKCS1-v1_5 is deterministic: byte for byte what the main thread would make.
        expect(signatures[i]).toEqual([sign('sha256', Buffer.from(input, 'ascii'), privateKey).toString('base64url')]);
        expect(verify('sha256', Buffer.from(input, 'ascii'), publicKey, Buffer.from(signatures[i]![0] as string, 'base64url'))).toBe(true);
      });
      expect(p.stats()).toMatchObject({ threads: 2, restarts: 0 });
      const [failed] = await p.run([{ rs256: 'x.y', key: createPublicKey(privateKey) }]);
      expect(failed).toMatchObject({ error: expect.any(String) });
      expect(p.stats().restarts).toBe(0);
    });
    const token = 'eyJhbGciOiJSUzI1NiJ9.e30';
    expect(await signRs256Async(token, privateKey)).toBe(sign('sha256', Buffer.from(token), privateKey).toString('base64url'));
    await expect(signRs256Async(token, createPublicKey(privateKey))).rejects.toThrow(/RS256 signing failed/);
  });

  it('its threads run at a lower priority than the process (nice + 10), the main thread unchanged', async () => {
    const niceOf = (tid: string): number => {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after "(comm)": state is field 3, nice is field 19.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const base = niceOf(String(process.pid));
    const lowered = () => fs.readdirSync('/proc/self/task').filter((tid) => niceOf(tid) === Math.min(19, base + 10)).length;
    const before = lowered();
    await withPool(new CryptoPool(2), async (p) => {
      await Promise.all([p.run(jobs(4)), p.run(jobs(4))]);
      expect(p.stats().threads).toBe(2);
      expect(lowered()).toBe(before + 2);
      expect(niceOf(String(process.pid))).toBe(base);
    });
  });

  it('replaces a thread that dies and gives its task to the new one; a task that outlives two threads is refused', async () => {
    await withPool(new CryptoPool(1), async (p) => {
      const task = jobs(20);
      const running = p.run(task);
      await p.workers()[0]!.terminate();
      expect(await running).toEqual(task.map(([b, e]) => modPowN(b, e)));
      expect(p.stats()).toMatchObject({ threads: 1, restarts: 1 });

      const doomed = p.run(jobs(20));
      await p.workers()[0]!.terminate();
      await p.workers()[0]!.terminate();
      await expect(doomed).rejects.toThrow(/exited/);
      expect(await p.run([[3n, 4n]])).toEqual([81n]);
      expect(p.stats()).toMatchObject({ threads: 1, restarts: 3 });
    });
  });

  it('sends a thread its next task before the last one is answered, two at a time, oldest first', async () => {
    const p = new CryptoPool(1);
    const one = new CryptoPool(1, 1);
    try {
      const tasks = [jobs(6), jobs(6), jobs(6)];
      const running = tasks.map((t) => p.run(t));
      // Two are with the thread (the second waits in its queue, not on the main thread), one waits here.
      expect(p.stats()).toMatchObject({ threads: 1, busy: 1, inFlight: 2, queued: 1 });
      const order: number[] = [];
      const results = await Promise.all(running.map((r, i) => r.then((v) => (order.push(i), v))));
      expect(order).toEqual([0, 1, 2]);
      tasks.forEach((t, i) => expect(results[i]).toEqual(t.map(([b, e]) => modPowN(b, e))));
      expect(p.stats()).toMatchObject({ busy: 0, inFlight: 0, queued: 0 });

      const single = tasks.map((t) => one.run(t));
      expect(one.stats()).toMatchObject({ threads: 1, inFlight: 1, queued: 2 });
      await Promise.all(single);
    } finally {
      await p.close();
      await one.close();
    }
  });

  it('a thread that dies holding two tasks: both go to the next thread in order, and only the running one counts the death', async () => {
    await withPool(new CryptoPool(1), async (p) => {
      const a = jobs(20);
      const b = jobs(2);
      const both = [p.run(a), p.run(b)];
      await p.workers()[0]!.terminate();
      expect(await Promise.all(both)).toEqual([a.map(([x, e]) => modPowN(x, e)), b.map(([x, e]) => modPowN(x, e))]);

      const doomed = p.run(jobs(20));
      const behind = jobs(2);
      const survivor = p.run(behind);
      await p.workers()[0]!.terminate();
      await p.workers()[0]!.terminate();
      await expect(doomed).rejects.toThrow(/exited/);
      expect(await survivor).toEqual(behind.map(([x, e]) => modPowN(x, e)));
      expect(p.stats()).toMatchObject({ threads: 1, restarts: 3, inFlight: 0, queued: 0 });
    });
  });

  it('size 0 runs inline with the same results', async () => {
    const p = new CryptoPool(0);
    const task = jobs(4);
    expect(await p.run(task)).toEqual(task.map(([b, e]) => modPowN(b, e)));
    expect(await p.run([[1n, 3n]])).toEqual([null]);
    expect(p.stats().threads).toBe(0);
  });

  it('close() refuses what is queued', async () => {
    const p = new CryptoPool(1);
    const first = expect(p.run(jobs(10))).rejects.toThrow(/closed/);
    const second = expect(p.run(jobs(1))).rejects.toThrow(/closed/);
    await p.close();
    await first;
    await second;
  });

  it('an awaited result keeps a process alive; an idle pool does not (PORTICO_CRYPTO_THREADS sizes it)', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const script = `
      import { cryptoPool, modPowNAsync } from './lib/crypto/crypto-pool.ts';
      const r = await modPowNAsync(3n, 5n);
      console.log(JSON.stringify({ r: String(r), size: cryptoPool().size, threads: cryptoPool().stats().threads }));
    `;
    const started = Date.now();
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, PORTICO_CRYPTO_THREADS: '3', NODE_NO_WARNINGS: '1' },
    });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ r: '243', size: 3, threads: 1 });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('ephemeral keys made ahead (RandomPowers)', () => {
  /** A pool of one thread that counts its round trips. */
  function countingPool(size = 1) {
    const p = new CryptoPool(size);
    const jobs: number[] = [];
    const run = p.run.bind(p);
    p.run = (batch) => {
      jobs.push(batch.length);
      return run(batch);
    };
    return { p, jobs };
  }

  it('hands out correct pairs, each once, asking a thread for eight at a time', async () => {
    const { p, jobs } = countingPool();
    try {
      const supply = new RandomPowers(() => p, () => randomExponent(32));
      const taken = await Promise.all(Array.from({ length: 20 }, () => supply.take()));
      // One at a time afterwards: the pairs made ahead serve them.
      const before = jobs.length;
      for (let i = 0; i < 3; i++) taken.push(await supply.take());
      expect(jobs.length - before).toBeLessThanOrEqual(1);
      for (const { exp, pow } of taken) expect(pow).toBe(modPowN(g, exp));
      expect(new Set(taken.map((t) => t.exp)).size).toBe(23);
      // 20 pairs in a few batches (the second one sized for everyone still waiting), not twenty round trips.
      expect(jobs.length).toBeLessThanOrEqual(3);
      expect(jobs[0]).toBe(8);
      expect(jobs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20 + 8 + 8);
      // The supply refilled itself below its low-water mark, so the next taker does not wait.
      await new Promise((r) => setTimeout(r, 200));
      expect(supply.available).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
  });

  it('with PORTICO_CRYPTO_THREADS=0 computes each pair on the calling thread, nothing ahead', async () => {
    const { p, jobs } = countingPool(0);
    const supply = new RandomPowers(() => p, () => randomExponent(32));
    const { exp, pow } = await supply.take();
    expect(pow).toBe(modPowN(g, exp));
    expect(jobs).toEqual([]);
    expect(supply.available).toBe(0);
  });

  it('a pool that fails its batches makes the taker fail cleanly, not hang', async () => {
    const broken = new CryptoPool(1);
    broken.run = () => Promise.reject(new Error('thread died'));
    const supply = new RandomPowers(() => broken, () => randomExponent(32));
    await expect(supply.take()).rejects.toThrow('thread died');
  });

  it('the SRP ephemerals come from the supply and still agree on the key', async () => {
    const x = computeX('0a1b2c', 'AbC123xyz', 'user', 'Passw0rd!');
    const v = computeVerifier(x);
    const client = await clientEphemeralAsync();
    const server = await serverEphemeralAsync(v);
    expect(client.A).toBe(modPowN(g, client.a));
    expect(server.B).toBe((k * v + modPowN(g, server.b)) % N);
    expect(serverKey(client.A, server.B, server.b, v).equals(clientKey(client.a, client.A, server.B, x))).toBe(true);
  });
});
