import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetTokensFromRefreshTokenCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { hostedRuntimeFor } from '../helpers/hosted-runtime';
import type { HostedRuntime } from '../../lib/hosted/runtime';
import type { HttpIn } from '../../lib/hosted/http';
import { rotateKeysEndpoint } from '../../lib/hosted/admin-keys';
import { RETIRED_LISTED_MS } from '../../lib/hosted/aws-id-token';
import { secretHash } from '../../lib/pool-client/secret-hash';
import { BASE, PASSWORD, makeOAuthClient, makeOAuthPool, makeUser } from './hosted-fixtures';
import { startAwsMode, type AwsMode } from './aws-fixtures';

/**
 * POST /admin/keys/rotate (lib/hosted/admin-keys.ts; the route in app/admin/keys/rotate is a thin
 * wrapper, reached through the built server in processes-sqlite.test.ts): HTTP Basic with the admin
 * credentials; in AWS mode a new key for Portico's ID tokens, answered with its kid, while the key it
 * replaces stays in the JWKS for its grace period and then goes; in embedded mode a 400 that says
 * rotation is for AWS mode.
 */
let t: TestPool;
let aws: AwsMode;
let poolId: string;
let client: { clientId: string; secret?: string };

beforeAll(async () => {
  t = await startTestPool();
  poolId = await makeOAuthPool(t);
  client = await makeOAuthClient(t, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
  await makeUser(t, poolId, 'ada');
  aws = await startAwsMode(t, [poolId]);
});
afterAll(async () => {
  await aws?.close();
  await t?.close();
});

function call(rt: HostedRuntime, o: { method?: string; auth?: string | null } = {}): ReturnType<typeof rotateKeysEndpoint> {
  const auth = o.auth === undefined ? `Basic ${Buffer.from(`${rt.admin.keyId}:${rt.admin.secret}`).toString('base64')}` : o.auth;
  const req: HttpIn = {
    method: o.method ?? 'POST',
    url: new URL('/admin/keys/rotate', BASE),
    headers: new Headers(auth ? { authorization: auth } : {}),
    body: '',
    cookies: {},
  };
  return rotateKeysEndpoint(rt, req);
}

/** A genuine pool ID token for the client, re-issued by Portico as the hosted front does. */
async function portico(rt: HostedRuntime): Promise<string> {
  const out = await t.publicClient().send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client.clientId,
      AuthParameters: { USERNAME: 'ada', PASSWORD, SECRET_HASH: secretHash(client.secret!, 'ada', client.clientId) },
    }),
  );
  const refreshed = await t.publicClient().send(
    new GetTokensFromRefreshTokenCommand({ ClientId: client.clientId, ClientSecret: client.secret, RefreshToken: out.AuthenticationResult!.RefreshToken! }),
  );
  const result = refreshed.AuthenticationResult!;
  return rt.idTokens!.mint({ poolId, clientId: client.clientId, issuer: `${BASE}/${poolId}`, poolIdToken: result.IdToken!, accessToken: result.AccessToken! });
}

const kids = async (rt: HostedRuntime) => (await rt.jwks(poolId)).keys.map((k) => String(k.kid));

describe('POST /admin/keys/rotate', () => {
  it('needs the admin credentials and POST', async () => {
    const rt = aws.rt;
    const none = await call(rt, { auth: null });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic /);
    expect((await call(rt, { auth: `Basic ${Buffer.from(`${rt.admin.keyId}:wrong`).toString('base64')}` })).status).toBe(401);
    const get = await call(rt, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
  });

  it('AWS mode: answers the new kid, which signs from then on; the old key stays published for its grace period, then goes', async () => {
    const rt = aws.rt;
    const before = await portico(rt);
    const oldKid = decodeProtectedHeader(before).kid!;
    expect(await kids(rt)).toEqual([oldKid]);

    const asked = t.clock.now();
    const out = await call(rt);
    expect(out.status, out.body).toBe(200);
    expect(out.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(out.body) as { kid: string; retired: string[]; retiredListedUntil: string };
    expect(body.kid).toMatch(/^portico-/);
    expect(body.kid).not.toBe(oldKid);
    expect(body.retired).toEqual([oldKid]);
    expect(Date.parse(body.retiredListedUntil) - RETIRED_LISTED_MS).toBeGreaterThanOrEqual(asked);
    expect(Date.parse(body.retiredListedUntil) - RETIRED_LISTED_MS).toBeLessThanOrEqual(t.clock.now());

    expect(decodeProtectedHeader(await portico(rt)).kid).toBe(body.kid);
    expect(await kids(rt)).toEqual([oldKid, body.kid]);
    const keys = createLocalJWKSet((await rt.jwks(poolId)) as unknown as JSONWebKeySet);
    await jwtVerify(before, keys, { audience: client.clientId, currentDate: new Date(t.clock.now()) });

    // A second rotation retires the first new key too; both old keys stay listed.
    const again = JSON.parse((await call(rt)).body) as { kid: string; retired: string[] };
    expect(again.retired).toEqual([body.kid]);
    expect(await kids(rt)).toEqual([oldKid, body.kid, again.kid]);

    t.clock.advance(RETIRED_LISTED_MS + 60_000);
    expect(await kids(rt)).toEqual([again.kid]);
  });

  it('embedded mode: a 400 saying rotation applies to AWS mode', async () => {
    const embedded = hostedRuntimeFor(t);
    try {
      const out = await call(embedded);
      expect(out.status).toBe(400);
      const body = JSON.parse(out.body) as { error: string; error_description: string };
      expect(body.error).toBe('unsupported_in_embedded_mode');
      expect(body.error_description).toMatch(/AWS mode/);
      expect((await call(embedded, { auth: null })).status).toBe(401);
    } finally {
      embedded.cognito.destroy();
    }
  });
});
