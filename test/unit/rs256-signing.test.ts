import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignJWT, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { signRs256 } from '../../lib/userpool/tokens';

/**
 * The pool's tokens are signed with node:crypto's callback API (off the main thread) instead of jose;
 * RSASSA-PKCS1-v1_5 is deterministic, so the tokens must be exactly the ones jose's SignJWT makes, and
 * verify with jose against the JWKS.
 */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'access-unitTestKid';
const jwks = createLocalJWKSet({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });

const claimSets: Record<string, unknown>[] = [
  { sub: 'a1b2', token_use: 'access', scope: 'openid email', auth_time: 1_700_000_000, exp: 1_700_003_600, iat: 1_700_000_000, version: 2 },
  {
    sub: '5f0c',
    'cognito:groups': ['admins', 'ünïcode-grüppe'],
    'cognito:username': 'Zoë ✓ 名前',
    email_verified: true,
    updated_at: 1_700_000_001,
    nonce: 'n-0S6_WzA2Mj',
    address: '{"formatted":"1 Main St\\nTown"}',
    emoji: '🙂 "quoted" \\ back\u2028slash',
    skipped: undefined,
  },
  {},
];

describe('signRs256', () => {
  it('makes the same token as jose SignJWT for the same header, claims and key', async () => {
    for (const claims of claimSets) {
      const ours = await signRs256(claims, kid, privateKey);
      const theirs = await new SignJWT(claims).setProtectedHeader({ kid, alg: 'RS256' }).sign(privateKey);
      expect(ours).toBe(theirs);
    }
  });

  it('verifies with jose against the JWKS, with the header {kid, alg} and the claims as given', async () => {
    const claims: Record<string, unknown> = { ...claimSets[1]!, exp: Math.floor(Date.now() / 1000) + 60 };
    const token = await signRs256(claims, kid, privateKey);
    expect(decodeProtectedHeader(token)).toEqual({ kid, alg: 'RS256' });
    const { payload } = await jwtVerify(token, jwks, { algorithms: ['RS256'] });
    const { skipped: _skipped, ...expected } = claims;
    expect(payload).toEqual(expected);
  });

  it('a changed payload does not verify', async () => {
    const token = await signRs256({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 }, kid, privateKey);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'y', exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url')}.${signature}`;
    await expect(jwtVerify(forged, jwks)).rejects.toThrow(/signature verification failed/);
  });

  it('rejects (does not throw synchronously) when the key cannot sign', async () => {
    const p = signRs256({ sub: 'x' }, kid, publicKey);
    await expect(p).rejects.toThrow();
  });
});
