import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { GetTokensFromRefreshTokenCommand, InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { PASSWORD, makeClient, makePool, makeUser } from './auth-fixtures';
import { passwordSignIn } from '../helpers/self-service';
import { jwks } from '../../lib/userpool/tokens';

/**
 * Issued tokens as a relying party sees them: RS256 signatures checked with `jose` against the pool's
 * JWKS, Cognito's claims, and what refresh keeps (auth_time, origin_jti) or renews (iat, exp, jti).
 */
let t: TestPool;
let pub: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  t = await startTestPool();
  pub = t.publicClient();
  poolId = await makePool(t);
  ({ clientId } = await makeClient(t, poolId));
  await makeUser(t, poolId, 'jade', { attributes: { email: 'jade@example.com', email_verified: 'true', given_name: 'Jade' } });
  keys = createLocalJWKSet((await jwks(t.engine.deps, poolId)) as Parameters<typeof createLocalJWKSet>[0]);
});
afterAll(async () => t?.close());

const verify = async (token: string) =>
  (await jwtVerify(token, keys, { issuer: `${t.url}/${poolId}`, algorithms: ['RS256'], currentDate: new Date(t.clock.now()) })).payload as JWTPayload &
    Record<string, unknown>;

describe('issued tokens verified against the pool JWKS', () => {
  it('carry Cognito\'s claims for ID and access tokens', async () => {
    const tokens = await passwordSignIn(pub, clientId, 'jade', PASSWORD);
    const id = await verify(tokens.IdToken!);
    const access = await verify(tokens.AccessToken!);
    expect(id['token_use']).toBe('id');
    expect(id.aud).toBe(clientId);
    expect(id['cognito:username']).toBe('jade');
    expect(id['email']).toBe('jade@example.com');
    expect(id['email_verified']).toBe(true);
    expect(id['given_name']).toBe('Jade');
    expect(access['token_use']).toBe('access');
    expect(access['client_id']).toBe(clientId);
    expect(access.aud).toBeUndefined();
    expect(access['scope']).toBe('aws.cognito.signin.user.admin');
    expect(access['username']).toBe('jade');
    expect(access.sub).toBe(id.sub);
    expect(access.exp! - access.iat!).toBe(3600);
    expect(id.exp! - id.iat!).toBe(3600);
    expect(access['origin_jti']).toBe(id['origin_jti']);
    expect(access.jti).not.toBe(id.jti);
    expect(Math.abs(Number(access['auth_time']) - Math.floor(t.clock.now() / 1000))).toBeLessThanOrEqual(2);
  });

  it('keep auth_time and origin_jti across refresh and renew iat, exp and jti', async () => {
    const first = await passwordSignIn(pub, clientId, 'jade', PASSWORD);
    const [id0, access0] = [await verify(first.IdToken!), await verify(first.AccessToken!)];
    t.clock.advance(30 * 60_000);
    const viaInitiate = (
      await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }))
    ).AuthenticationResult!;
    t.clock.advance(30 * 60_000);
    const viaGetTokens = (await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first.RefreshToken }))).AuthenticationResult!;
    for (const r of [viaInitiate, viaGetTokens]) {
      const [id, access] = [await verify(r.IdToken!), await verify(r.AccessToken!)];
      expect(id['auth_time']).toBe(id0['auth_time']);
      expect(access['auth_time']).toBe(access0['auth_time']);
      expect(id['origin_jti']).toBe(id0['origin_jti']);
      expect(access['origin_jti']).toBe(access0['origin_jti']);
      expect(id.aud).toBe(clientId);
      expect(access['client_id']).toBe(clientId);
      expect(access.iat!).toBeGreaterThan(access0.iat!);
      expect(access.exp! - access.iat!).toBe(3600);
      expect(access.jti).not.toBe(access0.jti);
    }
    // The original access token is past its hour by now: a verifier refuses it, the refreshed one passes.
    await expect(verify(first.AccessToken!)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('put the nonce from InitiateAuth ClientMetadata in the ID token only', async () => {
    const out = await pub.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'jade', PASSWORD },
        ClientMetadata: { nonce: 'n-0S6_WzA2Mj' },
      }),
    );
    const r = out.AuthenticationResult!;
    expect((await verify(r.IdToken!))['nonce']).toBe('n-0S6_WzA2Mj');
    expect((await verify(r.AccessToken!))['nonce']).toBeUndefined();
  });

  it('are signed by the pool\'s own keys: another pool\'s JWKS rejects them', async () => {
    const otherPool = await makePool(t);
    const otherKeys = createLocalJWKSet((await jwks(t.engine.deps, otherPool)) as Parameters<typeof createLocalJWKSet>[0]);
    const tokens = await passwordSignIn(pub, clientId, 'jade', PASSWORD);
    await expect(jwtVerify(tokens.IdToken!, otherKeys, { currentDate: new Date(t.clock.now()) })).rejects.toBeDefined();
    const published = await jwks(t.engine.deps, poolId);
    expect(published.keys).toHaveLength(2);
    for (const k of published.keys) expect(k).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(published.keys.some((k) => 'd' in k)).toBe(false);
  });
});
