import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests against the BUILT app (`next build` and the server bundle first; `npm test` does it),
 * served by Portico's own server, in the system Chromium (stack-notes "Playwright with system Chromium"). The server gets a fresh data directory
 * (and, with E2E_DATABASE_URL, a fresh PostgreSQL database), so every run starts from an empty Portico, demo included.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
// Set once in the runner; workers inherit it instead of creating directories of their own.
process.env.E2E_DATA ??= fs.mkdtempSync(path.join(os.tmpdir(), 'portico-e2e-'));
const DATA = process.env.E2E_DATA;

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // Portico's own server (server.ts, bundled by the build), as `npm start` runs it.
    command: 'node .next/portico-server/server.mjs',
    url: `http://localhost:${PORT}/healthz`,
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      PORT: String(PORT),
      PORTICO_URL: `http://localhost:${PORT}`,
      PORTICO_DATA: DATA,
      // Empty means unset: nothing from the caller's shell may point the server elsewhere. The run on
      // PostgreSQL (scripts/test.mjs) names its fresh database in E2E_DATABASE_URL; specs that write to
      // the store directly read the same variable (e2e/store.ts).
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
      PORTICO_POOL_ENDPOINT: '',
      PORTICO_ADMIN_KEY_ID: '',
      PORTICO_ADMIN_SECRET: '',
      PORTICO_SECRET_KEY: '',
      // Journeys send many codes from one address and try "send a new code" without waiting a minute.
      PORTICO_CODES_PER_IP_HOUR: '100000',
      PORTICO_CODES_PER_RECIPIENT_HOUR: '50',
      PORTICO_RESEND_COOLDOWN: '2',
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
