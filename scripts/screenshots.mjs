// `npm run screenshots`: the README's pictures of the sign-in page — English, Arabic (right to left) and
// Japanese, each in the light and the dark colour scheme — written to docs/screenshots/login-<locale>-<scheme>.png.
// It builds when the build is stale, starts Portico on a free port with a throwaway data directory (so
// the demo is created afresh), opens a real authorization request for the demo client in Chromium, and
// stops the server again. Not part of `npm test`: the tests leave no tracked file changed.
//
// Japanese needs a CJK font (Debian: fonts-noto-cjk) and Arabic one with Arabic glyphs (fonts-dejavu-core),
// or the pictures show empty boxes.
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { root, ensureBuild, serverEntry } from './build-state.mjs';

const LOCALES = ['en', 'ar', 'ja'];
const SCHEMES = ['light', 'dark'];
const OUT_DIR = path.join(root, 'docs', 'screenshots');
const VIEWPORT = { width: 960, height: 640 };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls until the server answers /healthz and the demo is complete (demo.json is written last). */
async function waitUntilReady(url, dataDir, server, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok && fs.existsSync(path.join(dataDir, 'demo.json'))) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Portico did not become ready at ${url}`);
    await sleep(250);
  }
}

function stop(server) {
  if (server.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

process.env.NEXT_TELEMETRY_DISABLED = '1';
if (await ensureBuild()) console.log('Build finished.');

const port = await freePort();
const url = `http://localhost:${port}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-screenshots-'));
let serverErrors = '';
// Only this run's own settings: nothing from the caller's shell may point the server elsewhere.
const server = spawn(process.execPath, [serverEntry(root)], {
  cwd: root,
  // The start-up log names the demo's password; it stays out of this script's output.
  stdio: ['ignore', 'ignore', 'pipe'],
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    PORTICO_URL: url,
    PORTICO_DATA: dataDir,
    PORTICO_DEMO: 'on',
    PORTICO_LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    PORTICO_POOL_ENDPOINT: '',
    PORTICO_ADMIN_KEY_ID: '',
    PORTICO_ADMIN_SECRET: '',
    PORTICO_SECRET_KEY: '',
    PORTICO_THEMES_FILE: '',
    PORTICO_DOMAINS_FILE: '',
  },
});
server.stderr.on('data', (d) => (serverErrors = (serverErrors + d).slice(-4000)));

let browser;
try {
  await waitUntilReady(url, dataDir, server);
  const demo = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo.json'), 'utf8'));
  fs.mkdirSync(OUT_DIR, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (const scheme of SCHEMES) {
    for (const locale of LOCALES) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: VIEWPORT, deviceScaleFactor: 1 });
      try {
        const page = await context.newPage();
        const q = new URLSearchParams({
          client_id: demo.clientId,
          response_type: 'code',
          redirect_uri: `${url}/demo/api/auth/callback/portico`,
          scope: 'openid email profile',
          state: 'screenshot',
          ui_locales: locale,
        });
        await page.goto(`${url}/oauth2/authorize?${q}`);
        await page.waitForURL(/\/login\?tx=/);
        const lang = await page.locator('html').getAttribute('lang');
        if (lang !== locale) throw new Error(`the sign-in page came in ${lang}, not ${locale}`);
        // The picture shows the page at rest: no focus ring on the username field.
        await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
        await page.evaluate(() => document.fonts.ready);
        const file = path.join(OUT_DIR, `login-${locale}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
        console.log(path.relative(root, file));
      } finally {
        await context.close();
      }
    }
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  if (serverErrors) console.error(serverErrors);
  process.exitCode = 1;
} finally {
  await browser?.close();
  await stop(server);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
