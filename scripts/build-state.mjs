// Whether `.next` holds a build of the current sources, and building it when not. Shared by
// `npm start`, `npm test` and the integration-test helper; a lock directory keeps two of them from
// building into `.next` at the same time.
import fs from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SOURCE_DIRS = ['app', 'components', 'lib', 'locales', 'public'];
const SOURCE_FILES = [
  'proxy.ts',
  'instrumentation.ts',
  'next.config.js',
  'postcss.config.mjs',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
];

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

export function buildIsCurrent(dir = root) {
  let built;
  try {
    built = fs.statSync(path.join(dir, '.next', 'BUILD_ID')).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(
    ...SOURCE_DIRS.map((d) => newestMtime(path.join(dir, d))),
    ...SOURCE_FILES.map((f) => newestMtime(path.join(dir, f))),
  );
  return sources <= built;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withBuildLock(dir, fn) {
  const lock = path.join(os.tmpdir(), `portico-build-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than 15 minutes belongs to a build that died.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 15 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {}
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs `next build` unless the build is current. Resolves to true when it built. */
/** stdio: 'inherit' shows the build; anything else keeps it quiet and puts its output in the error. */
export async function ensureBuild({ dir = root, stdio = 'inherit' } = {}) {
  if (buildIsCurrent(dir)) return false;
  return withBuildLock(dir, async () => {
    if (buildIsCurrent(dir)) return false; // someone else built it while we waited
    let output = '';
    const code = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(dir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
        cwd: dir,
        stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      });
      child.stdout?.on('data', (d) => (output += d));
      child.stderr?.on('data', (d) => (output += d));
      child.on('error', reject);
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    });
    // Quiet callers (tests) still get the compiler's complaint in the error.
    if (code !== 0) throw new Error(`next build failed (exit code ${code})${output ? `:\n${output.slice(-4000)}` : ''}`);
    return true;
  });
}
