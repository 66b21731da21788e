import { logger } from '../observability/logger';
import { ConfigError, settings } from '../config/env';
import { runtime } from '../userpool/runtime';
import { ensureDemo, type DemoResult } from './bootstrap';

/**
 * What the server does once when it starts (instrumentation.ts): stop on a bad setting, open the
 * engine, print generated admin credentials, create the demo and say how to sign in.
 * Secrets printed here are the ones the operator needs to get started; the client secret only goes to
 * demo.json.
 */
// A banner for the person starting Portico, not a log record: plain lines on stdout.
function log(lines: string[]): void {
  console.log(lines.join('\n'));
}

export function demoBanner(result: DemoResult): string[] {
  const d = result.details;
  const head = result.created ? 'Portico created a demo user pool. Sign in with:' : 'Portico demo user pool:';
  return [
    '',
    head,
    `  Demo app:       ${d.demoUrl}`,
    `  User pool id:   ${d.poolId}`,
    `  App client id:  ${d.clientId}`,
    `  Username:       ${d.username}  (or ${d.email})`,
    `  Password:       ${d.password}`,
    `  Details (including the client secret): ${result.file}`,
    '',
  ];
}

export async function startup(): Promise<void> {
  let s;
  try {
    s = settings();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  let rt;
  try {
    rt = await runtime();
  } catch (e) {
    // Keep serving: /readyz reports 503 and the engine retries on the next request.
    logger().error({ error: (e as Error)?.message }, 'engine failed to start');
    return;
  }
  if (rt.secrets.adminGenerated) {
    log([
      '',
      `Portico generated admin credentials for the Cognito API (SigV4) and admin pages (HTTP Basic),`,
      `saved in ${s.dataDir}/admin.json:`,
      `  PORTICO_ADMIN_KEY_ID=${rt.secrets.admin.keyId}`,
      `  PORTICO_ADMIN_SECRET=${rt.secrets.admin.secret}`,
      '',
    ]);
  }
  if (!s.demo) return;
  try {
    const result = await ensureDemo({
      engine: rt.engine,
      dataDir: s.dataDir,
      publicUrl: s.publicUrl,
      region: s.region,
      // Credentials from the environment stay out of files; generated ones already live in admin.json.
      admin: s.adminKeyId ? undefined : rt.secrets.admin,
    });
    log(demoBanner(result));
  } catch (e) {
    // The demo is a convenience; Portico itself still serves. The next start tries again.
    logger().error({ error: (e as Error)?.name, detail: (e as Error)?.message }, 'demo setup failed');
  }
}
