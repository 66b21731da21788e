// Node flags for Portico's server process, shared by `npm start`, the benchmarks and the tests that start
// the built server, so what is measured is what runs.
//
// V8 lets the old generation grow far past the live data before a full collection (the default limit here
// is about 4 GB): under 64 concurrent page renders one process reached 480 MB resident with 60–75 MB live.
// A limit a few times the live set keeps a process near 230 MB at the same CPU per request (bench figures
// in README). PORTICO_HEAP_MB sets it; 0 keeps Node's default. A flag already in NODE_OPTIONS wins.
// lib/config/env.ts validates the value (so `npm start` names the setting); here a bad value is ignored.
export const DEFAULT_HEAP_MB = 192;

export function serverNodeArgs(env = process.env) {
  if (/--max-old-space-size/.test(env.NODE_OPTIONS ?? '')) return [];
  const raw = env.PORTICO_HEAP_MB?.trim();
  const mb = raw ? Number(raw) : DEFAULT_HEAP_MB;
  if (!Number.isInteger(mb) || mb < 0) return [`--max-old-space-size=${DEFAULT_HEAP_MB}`];
  return mb === 0 ? [] : [`--max-old-space-size=${mb}`];
}
