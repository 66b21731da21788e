// `npm test`: every suite — unit, integration on SQLite, integration on PostgreSQL, end-to-end in
// Chromium on PostgreSQL — each with a JSON reporter, then one closing line `N passed, N failed`
// (stack-notes G18). The end-to-end suite runs once, on PostgreSQL (the store several instances share):
// SQLite is covered end to end by the integration suite's built-server tests, and a second browser run
// would cost as long again.
// Exits non-zero when a test failed, a runner crashed, or a runner ran no tests.
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { root, ensureBuild } from './build-state.mjs';

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-test-reports-'));
// Output goes through a pipe: keep colours for a terminal, plain text for CI logs.
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }) };

/**
 * The AWS SDK warns at every process start on Node 20 (stack-notes G2); the warning is several lines
 * long and says nothing about the tests, so it is dropped from the output.
 */
function warningFilter(write) {
  let pending = '';
  let skipping = false;
  let afterBlock = false;
  const plain = (line) => line.replace(/\x1b\[[0-9;]*m/g, '');
  const onLine = (line) => {
    const text = plain(line);
    if (text.includes('NodeVersionSupportWarning')) {
      skipping = true;
      return;
    }
    if (skipping) {
      if (text.startsWith('More information can be found at')) {
        skipping = false;
        afterBlock = true;
      }
      return;
    }
    if (afterBlock) {
      afterBlock = false;
      if (text.startsWith('(Use `node --trace-warnings')) return;
    }
    write(`${line}\n`);
  };
  return {
    push(chunk) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      lines.forEach(onLine);
    },
    end() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = warningFilter((s) => process.stdout.write(s));
    const err = warningFilter((s) => process.stderr.write(s));
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => {
      console.error(`could not start ${command}: ${e.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** passed/failed from vitest's JSON report; a suite that failed to load counts as a failure. */
function vitestCounts(file) {
  const r = readJson(file);
  if (!r) return undefined;
  const brokenSuites = (r.testResults ?? []).filter(
    (s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  return { passed: r.numPassedTests ?? 0, failed: (r.numFailedTests ?? 0) + brokenSuites };
}

/** passed/failed from Playwright's JSON report; errors outside tests (e.g. the web server) count too. */
function playwrightCounts(file) {
  const r = readJson(file);
  if (!r?.stats) return undefined;
  return { passed: (r.stats.expected ?? 0) + (r.stats.flaky ?? 0), failed: (r.stats.unexpected ?? 0) + (r.errors?.length ?? 0) };
}

const steps = [];

async function step(name, fn) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  let result;
  try {
    result = await fn();
  } catch (e) {
    console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    result = { code: 1 };
  }
  let { passed = 0, failed = 0 } = result.counts ?? {};
  const problems = [];
  if (!result.counts) problems.push('no report');
  else if (passed + failed === 0 && !result.noTests) problems.push('ran no tests');
  if (result.code !== 0 && failed === 0) problems.push(`exit code ${result.code}`);
  // A runner that crashed or ran nothing is one failure, so the total can never look clean.
  if (problems.length) failed += 1;
  steps.push({ name, passed, failed, seconds: Math.round((Date.now() - started) / 1000), problems });
}

function vitestStep(name, project, extraEnv = {}) {
  return step(name, async () => {
    const report = path.join(reportDir, `${project}-${steps.length}.json`);
    const code = await run(
      bin('vitest'),
      ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
      { ...baseEnv, ...extraEnv },
    );
    return { code, counts: vitestCounts(report) };
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Same server as the integration tests (test/helpers/db-kind.ts). */
const PG_ADMIN_URL = process.env.PORTICO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one run, and how to drop it (also when the run failed). */
async function freshPgDatabase() {
  const name = `portico_e2e_${randomBytes(6).toString('hex')}`;
  const admin = async (statement) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return { url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

let built = true;
await vitestStep('unit tests', 'unit');
await step('next build', async () => {
  try {
    await ensureBuild();
    return { code: 0, counts: { passed: 0, failed: 0 }, noTests: true };
  } catch (e) {
    built = false;
    throw e;
  }
});
await vitestStep('integration tests (SQLite)', 'integration');
await vitestStep('integration tests (PostgreSQL)', 'integration', { PORTICO_TEST_DB: 'postgres' });
await step('end-to-end tests (PostgreSQL)', async () => {
  if (!built) throw new Error('skipped: the build failed');
  const report = path.join(reportDir, 'e2e.json');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-e2e-'));
  const database = await freshPgDatabase();
  try {
    // Playwright sets FORCE_COLOR for its web server, which then warns about NO_COLOR.
    const { NO_COLOR: _noColor, ...env } = baseEnv;
    const code = await run(bin('playwright'), ['test', '--reporter=list,json'], {
      ...env,
      CI: '1',
      E2E_PORT: String(await freePort()),
      E2E_DATA: dataDir,
      E2E_DATABASE_URL: database.url,
      PLAYWRIGHT_JSON_OUTPUT_FILE: report,
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    });
    return { code, counts: playwrightCounts(report) };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database.drop().catch((e) => console.error(`could not drop the e2e database: ${e.message}`));
  }
});

fs.rmSync(reportDir, { recursive: true, force: true });
console.log('\nSummary:');
for (const s of steps) {
  const note = s.problems.length ? `  (${s.problems.join(', ')})` : '';
  console.log(`  ${s.name.padEnd(32)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(4)} failed  ${s.seconds}s${note}`);
}
const passed = steps.reduce((n, s) => n + s.passed, 0);
const failed = steps.reduce((n, s) => n + s.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
