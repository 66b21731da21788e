import { expect, test } from '@playwright/test';
import { startNextServer, type NextServer } from '../test/helpers/next-server';

/** PORTICO_DEMO=off: no demo is created and every /demo route answers 404. */
let server: NextServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startNextServer({ env: { PORTICO_DEMO: 'off' } });
});

test.afterAll(async () => {
  await server?.close();
});

test('/demo and its routes answer 404', async ({ page, request }) => {
  const res = await page.goto(`${server.url}/demo`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  for (const path of ['/demo/api/auth/session', '/demo/api/auth/providers']) {
    expect((await request.get(`${server.url}${path}`)).status()).toBe(404);
  }
  for (const path of ['/demo/signin', '/demo/signout']) {
    expect((await request.post(`${server.url}${path}`, { headers: { origin: server.url } })).status()).toBe(404);
  }
});
