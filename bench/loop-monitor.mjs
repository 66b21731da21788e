// Preloaded into a server by bench/stalls.ts (`node --import …/loop-monitor.mjs`), never by Portico
// itself. On the main thread only: a 1 ms timer notes every gap longer than 8 ms between its ticks, and
// how the main thread spent the gap from the kernel's per-thread accounting (/proc schedstat: time on a
// CPU, time runnable but waiting for one); the rest of the gap it was blocked (a system call such as
// fsync). V8's GC pauses are noted too. The record is written to PORTICO_LOOP_MONITOR twice a second.
import { isMainThread } from 'node:worker_threads';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import fs from 'node:fs';

const out = process.env.PORTICO_LOOP_MONITOR;
if (isMainThread && out && process.platform === 'linux') {
  const gaps = [];
  const gc = [];
  const fd = fs.openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
  const buf = Buffer.alloc(128);
  const sched = () => {
    const text = buf.toString('latin1', 0, fs.readSync(fd, buf, 0, buf.length, 0)).split(' ');
    return { run: Number(text[0]) / 1e6, wait: Number(text[1]) / 1e6 };
  };
  let last = performance.now();
  let lastSched = sched();
  setInterval(() => {
    const now = performance.now();
    const s = sched();
    if (now - last > 8) {
      gaps.push({ at: Date.now(), ms: now - last, running: s.run - lastSched.run, waiting: s.wait - lastSched.wait });
    }
    last = now;
    lastSched = s;
  }, 1).unref();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc.push({ at: Date.now(), ms: e.duration, kind: e.detail?.kind });
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => fs.writeFileSync(out, JSON.stringify({ gaps, gc })), 500).unref();
}
