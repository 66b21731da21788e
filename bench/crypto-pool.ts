/**
 * The crypto thread pool (lib/crypto/crypto-pool.ts): what a round trip to a thread costs the main
 * thread and in latency, against the same exponentiation inline, and the pool's throughput.
 *   npx tsx bench/crypto-pool.ts [--n 2000]   (PORTICO_CRYPTO_THREADS=… to size the pool)
 */
import { g, modPowN, randomExponent } from '../lib/crypto/srp-math';
import { cryptoPool, modPowNAsync } from '../lib/crypto/crypto-pool';
import { threadCpuMs } from './lib';

const i = process.argv.indexOf('--n');
const n = i > 0 ? Number(process.argv[i + 1]) : 2000;
const exps = Array.from({ length: n }, () => randomExponent(32));

async function measure(name: string, fn: (k: number) => Promise<unknown> | unknown, concurrency = 1): Promise<void> {
  for (let k = 0; k < 50; k++) await fn(k); // warm-up (starts the threads)
  const cpu0 = threadCpuMs();
  const t0 = performance.now();
  const proc0 = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  const wall = performance.now() - t0;
  const proc = process.cpuUsage(proc0);
  console.log(
    `${name.padEnd(44)} main thread ${((threadCpuMs() - cpu0) / n).toFixed(3)} ms/op  all threads ${((proc.user + proc.system) / 1000 / n).toFixed(3)} ms/op  ` +
      `wall ${((wall / n) * concurrency).toFixed(3)} ms/op  ${((n / wall) * 1000).toFixed(0)} ops/s`,
  );
}

console.log(`crypto pool: ${cryptoPool().size} threads; ${n} operations each`);
await measure('inline g^e (256-bit e)', (k) => modPowN(g, exps[k]!));
await measure('round trip only (x^0: no OpenSSL call)', () => modPowNAsync(3n, 0n));
await measure('pool g^e (256-bit e), one at a time', (k) => modPowNAsync(g, exps[k]!));
await measure('pool g^e (256-bit e), 16 in flight', (k) => modPowNAsync(g, exps[k]!), 16);
console.log(JSON.stringify(cryptoPool().stats()));
