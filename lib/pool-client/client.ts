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
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Required when endpoint is unset. */
  wire?: () => Promise<WireLike>;
}

export function createPoolClient(o: PoolClientOptions): CognitoIdentityProviderClient {
  if (o.endpoint) {
    return new CognitoIdentityProviderClient({ region: o.region, endpoint: o.endpoint, credentials: o.credentials, maxAttempts: 2 });
  }
  if (!o.wire) throw new Error('an in-process pool client needs the engine wire handler');
  return new CognitoIdentityProviderClient({
    region: o.region,
    endpoint: o.publicUrl,
    credentials: o.credentials,
    maxAttempts: 1,
    requestHandler: new InProcessHandler(o.wire) as never,
  });
}
