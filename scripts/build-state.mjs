// Whether `.next` holds a build of the current sources, and building it when not: `next build`, then
// the custom server (server.ts) bundled with esbuild into `.next/portico-server/`. Shared by
// `npm start`, `npm test`, the integration-test helper and the benchmarks; a lock directory keeps two
// of them from building into `.next` at the same time.
import fs from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// locales/ is read at run time (lib/i18n/resources.ts), not built.
const SOURCE_DIRS = ['app', 'components', 'lib', 'public'];
const SOURCE_FILES = [
  'server.ts',
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

/** The custom server's bundle (`node <this>` serves Portico). */
export function serverEntry(dir = root) {
  return path.join(dir, '.next', 'portico-server', 'server.mjs');
}

function builtAt(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestSource(dir) {
  return Math.max(
    ...SOURCE_DIRS.map((d) => newestMtime(path.join(dir, d))),
    ...SOURCE_FILES.map((f) => newestMtime(path.join(dir, f))),
  );
}

function nextIsCurrent(dir) {
  const built = builtAt(path.join(dir, '.next', 'BUILD_ID'));
  return built !== undefined && newestSource(dir) <= built;
}

function serverIsCurrent(dir) {
  const built = builtAt(serverEntry(dir));
  const next = builtAt(path.join(dir, '.next', 'BUILD_ID'));
  return built !== undefined && next !== undefined && next <= built && newestSource(dir) <= built;
}

export function buildIsCurrent(dir = root) {
  return nextIsCurrent(dir) && serverIsCurrent(dir);
}

const NON_ASCII = /[^\x00-\x7f]/;

export function isAscii(text) {
  return !NON_ASCII.test(text);
}

/**
 * The text with every character outside ASCII written as a \u escape. V8 keeps a script's source for as
 * long as its functions live, one byte a character only if every character is Latin-1: one dash in a
 * comment made the whole server bundle a two-byte string. esbuild already escapes strings, templates,
 * regular expressions and names (its default charset, ascii); what it leaves are comments, where an escape
 * is only text, and an escape means the same anywhere else.
 */
export function asciiOnly(text) {
  return text.replace(new RegExp(NON_ASCII.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * server.ts and the lib/ code it calls, bundled for Node: TypeScript, JSX and the `@/` paths compiled
 * away, packages left to node_modules. Split so that server.ts sets NODE_ENV before React and Next load.
 */
async function bundleServer(dir) {
  const esbuild = await import('esbuild');
  const outdir = path.dirname(serverEntry(dir));
  // Built aside and swapped in, so a server starting meanwhile finds either bundle whole.
  const staging = `${outdir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: dir,
    entryPoints: { server: path.join(dir, 'server.ts') },
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    tsconfig: path.join(dir, 'tsconfig.json'),
    sourcemap: 'linked',
    logLevel: 'silent',
  });
  for (const file of fs.readdirSync(staging)) {
    if (!file.endsWith('.mjs')) continue;
    const text = fs.readFileSync(path.join(staging, file), 'utf8');
    if (!isAscii(text)) fs.writeFileSync(path.join(staging, file), asciiOnly(text));
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.renameSync(staging, outdir);
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

/**
 * Runs `next build` and bundles the server unless they are current. Resolves to true when it built.
 * stdio: 'inherit' shows the build; anything else keeps it quiet and puts its output in the error.
 */
export async function ensureBuild({ dir = root, stdio = 'inherit' } = {}) {
  if (buildIsCurrent(dir)) return false;
  return withBuildLock(dir, async () => {
    if (buildIsCurrent(dir)) return false; // someone else built it while we waited
    if (!nextIsCurrent(dir)) await nextBuild(dir, stdio);
    try {
      await bundleServer(dir);
    } catch (e) {
      throw new Error(`bundling server.ts failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return true;
  });
}

async function nextBuild(dir, stdio) {
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
}
