import { logger } from '../observability/logger';
import path from 'node:path';
import { settings } from '../config/env';
import { resolveSecrets, type Secrets } from '../config/secrets';
import { openDb } from '../db';
import { createSecretBox } from '../crypto/secretbox';
import { ssoKeyFrom } from '../crypto/sso-key';
import { systemClock } from './context';
import { createEngine, type Engine } from './engine';
import { createDeliveryWorker, transportsFromSettings, type DeliveryWorker } from '../delivery';

/**
 * The process's engine. Route handlers, pages and the proxy are separate bundles in Next (stack-notes
 * G11), so the singleton lives on globalThis.
 */
export interface Runtime {
  engine: Engine;
  secrets: Secrets;
  /** Sends the outbox (lib/delivery); started with the engine. */
  delivery: DeliveryWorker;
}

const KEY = '__porticoRuntime';
type Holder = { [KEY]?: Promise<Runtime> };

export function runtime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const s = settings();
    const secrets = resolveSecrets(s);
    const db = await openDb({
      databaseUrl: s.databaseUrl,
      sqlitePath: path.join(s.dataDir, 'portico.db'),
      backgroundCheckpoint: true,
      onCheckpointerFailure: (error) => logger().warn({ error: error.message }, 'SQLite checkpoints are back on the request thread'),
    });
    const engine = createEngine({
      db,
      box: createSecretBox(secrets.secretKey),
      clock: systemClock,
      publicUrl: s.publicUrl,
      region: s.region,
      admin: secrets.admin,
      triggerEnv: { PORTICO_SSO_KEY: ssoKeyFrom(secrets.secretKey).toString('base64url') },
      limits: { codesPerRecipientHour: s.codesPerRecipientHour, codesPerIpHour: s.codesPerIpHour },
    });
    const timer = setInterval(() => void engine.sweep().catch(() => undefined), 60_000);
    timer.unref();
    const delivery = createDeliveryWorker({
      db,
      clock: systemClock,
      ...transportsFromSettings(s, secrets.secretKey),
      // The id and the carrier's error only: never the message, which holds codes.
      onFailure: (id, error, willRetry) =>
        logger().warn({ id, error, willRetry }, 'message delivery failed'),
    });
    delivery.start();
    return { engine, secrets, delivery };
  })();
  holder[KEY].catch(() => delete holder[KEY]);
  return holder[KEY];
}

/**
 * Whether some bundle has started the process's engine. The custom server (lib/server) waits for Next's
 * instrumentation to start it, so the engine and the code in Next's bundles that calls it directly (the
 * demo bootstrap, the Cognito route) share one copy of the engine's classes.
 */
export function runtimeStarted(): boolean {
  return (globalThis as Holder)[KEY] !== undefined;
}
