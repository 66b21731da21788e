import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { InProcessHandler, type WireLike } from './transport';

/**
 * The hosted front's only door to a user pool: the AWS SDK v3 Cognito client. Its transport is the
 * network when an endpoint is configured (a remote Portico pool, or AWS), otherwise the in-process
 * handler that passes the signed request to the embedded engine.
 */
export interface PoolClientOptions {
  region: string;
  /** Public base URL of this Portico; the in-process transport signs requests for this host. */
  publicUrl: string;
  endpoint?: string;
  /** Unset: the SDK's default provider chain (AWS mode: environment, shared config, SSO, instance role, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The embedded engine's handler: used when endpoint is unset. */
  wire?: () => Promise<WireLike>;
}

/**
 * The SDK copies its resolved client configuration (45 properties) with `{...config}` several times per
 * call: in the endpoint, serialisation and deserialisation steps. As the SDK builds it, V8 keeps that
 * object in dictionary mode, where a spread costs ~9 µs; in fast mode ~1 µs.
 * V8 migrates an object to fast properties in place once it serves as a prototype for property reads
 * (the reads below, through a throwaway object), so every step holding it gets the fast copy. Nothing
 * else changes: same object, same properties and values. Should a V8 not do so, it only stays slower
 * (test/unit/aws-config.test.ts checks this Node does).
 */
export function withFastConfig<T extends { config: object }>(client: T): T {
  const probe = Object.create(client.config) as { region?: unknown };
  for (let i = 0; i < 100; i++) void probe.region;
  return client;
}

export function createPoolClient(o: PoolClientOptions): CognitoIdentityProviderClient {
  // No wire handler (AWS mode): the network, to the endpoint or else the region's Cognito endpoint.
  if (o.endpoint || !o.wire) {
    return withFastConfig(new CognitoIdentityProviderClient({
      region: o.region,
      endpoint: o.endpoint,
      ...(o.credentials ? { credentials: o.credentials } : {}),
      maxAttempts: 2,
      cacheMiddleware: true,
    }));
  }
  if (!o.credentials) throw new Error('the in-process pool client signs with the admin credentials');
  const client = new CognitoIdentityProviderClient({
    region: o.region,
    endpoint: o.publicUrl,
    credentials: o.credentials,
    maxAttempts: 1,
    // The SDK resolves a command's middleware chain once per command type instead of on every send
    // (nothing here adds middleware to single commands).
    cacheMiddleware: true,
    requestHandler: new InProcessHandler(o.wire) as never,
  });
  // Steps that only matter on a network to AWS (a user-agent string, Lambda's recursion header, the SDK's
  // own logging): a quarter of the SDK's CPU per call to the engine in the same process. Serialising,
  // signing and parsing — what the engine relies on — stay.
  for (const name of IN_PROCESS_SKIPPED) client.middlewareStack.remove(name);
  return withFastConfig(client);
}

export const IN_PROCESS_SKIPPED = ['getUserAgentMiddleware', 'recursionDetectionMiddleware', 'loggerMiddleware'] as const;
