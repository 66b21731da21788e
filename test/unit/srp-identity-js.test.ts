import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as identityJs from 'amazon-cognito-identity-js';
import { createSecretBox } from '../../lib/crypto/secretbox';
import { clientEphemeral, computeVerifier, computeX, N, padHex, srpTimestamp } from '../../lib/crypto/srp-math';
import { checkPasswordClaim, parseSrpA, simulatedIdentity, startPasswordVerifier, InvalidSrpA } from '../../lib/userpool/srp';
import type { EngineDeps } from '../../lib/userpool/context';
import type { PoolRecord } from '../../lib/userpool/pools';

/**
 * The pool's SRP (lib/userpool/srp.ts, its exponentiations on the crypto threads) against
 * amazon-cognito-identity-js's own client math (AuthenticationHelper): random salts and ephemerals, with
 * salts chosen to hit every padding rule.
 */
const deps = { box: createSecretBox('unit-test-master-key'), clock: { now: () => Date.now() } } as unknown as EngineDeps;
const pool: PoolRecord = { id: 'us-east-1_Unit7est', name: 'unit', srpName: 'Unit7est', config: {}, createdAt: 0, updatedAt: 0 };

interface JsBigInteger {
  toString(radix: number): string;
}
type BigIntegerCtor = new (hex: string, radix: number) => JsBigInteger;
interface Helper {
  N: { constructor: BigIntegerCtor };
  getLargeAValue(cb: (err: unknown, A: JsBigInteger) => void): void;
  getPasswordAuthenticationKey(user: string, password: string, B: JsBigInteger, salt: JsBigInteger, cb: (err: unknown, key: Buffer) => void): void;
}

// Exported at run time but missing from the package's type declarations.
const { AuthenticationHelper, DateHelper } = identityJs as unknown as {
  AuthenticationHelper: new (poolName: string) => Helper;
  DateHelper: new () => { getNowString(): string };
};

/** Salts that exercise padHex: top bit set (00 prefix), leading zero byte, odd hex length, plain. */
function saltFor(i: number): string {
  const bytes = randomBytes(16);
  if (i % 4 === 0) bytes[0] = 0x80 | bytes[0]!;
  if (i % 4 === 1) bytes[0] = 0;
  if (i % 4 === 2) bytes[0] = 0x0f & bytes[0]!;
  if (i % 4 === 3) bytes[0] = 0x10 | (0x7f & bytes[0]!);
  return bytes.toString('hex');
}

function clientSignature(helper: Helper, userId: string, password: string, B: string, salt: string, secretBlock: string, timestamp: string): string {
  const BigInteger = helper.N.constructor;
  let key: Buffer | undefined;
  helper.getPasswordAuthenticationKey(userId, password, new BigInteger(B, 16), new BigInteger(salt, 16), (err, k) => {
    if (err) throw err;
    key = k;
  });
  return createHmac('sha256', key!)
    .update(Buffer.concat([Buffer.from(pool.srpName, 'utf8'), Buffer.from(userId, 'utf8'), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8')]))
    .digest('base64');
}

function largeA(helper: Helper): string {
  let A = '';
  helper.getLargeAValue((err, value) => {
    if (err) throw err;
    A = value.toString(16);
  });
  return A;
}

describe('SRP against amazon-cognito-identity-js AuthenticationHelper', () => {
  it('accepts the right password and refuses a wrong one over many random runs', async () => {
    let highBitA = 0;
    for (let i = 0; i < 16; i++) {
      const userId = i % 2 ? `user-${i}` : `${randomBytes(4).toString('hex')}-ümlaut`;
      const password = `Pässw0rd!${randomBytes(3).toString('hex')}`;
      const salt = saltFor(i);
      const v = computeVerifier(computeX(salt, pool.srpName, userId, password));
      const helper = new AuthenticationHelper(pool.srpName);
      const A = largeA(helper);
      if (padHex(A).startsWith('00')) highBitA++;
      const challenge = await startPasswordVerifier(deps, pool, parseSrpA(A), { verifier: v, salt });
      // identity-js formats TIMESTAMP itself (DateHelper), which is what the server must parse.
      const timestamp = new DateHelper().getNowString();
      const signature = clientSignature(helper, userId, password, challenge.srpB, challenge.salt, challenge.secretBlock, timestamp);
      const claim = { userIdForSrp: userId, secretBlock: challenge.secretBlock, timestamp, signature };
      expect(await checkPasswordClaim(deps, pool, challenge.state, v, claim)).toBe('ok');
      // jsbn is slow (~0.1 s a run): check wrong passwords on every fourth run only.
      if (i % 4 !== 3) continue;
      const wrongHelper = new AuthenticationHelper(pool.srpName);
      const wrongChallenge = await startPasswordVerifier(deps, pool, parseSrpA(largeA(wrongHelper)), { verifier: v, salt });
      const wrongSig = clientSignature(wrongHelper, userId, `${password}x`, wrongChallenge.srpB, wrongChallenge.salt, wrongChallenge.secretBlock, timestamp);
      expect(
        await checkPasswordClaim(deps, pool, wrongChallenge.state, v, { userIdForSrp: userId, secretBlock: wrongChallenge.secretBlock, timestamp, signature: wrongSig }),
      ).toBe('mismatch');
    }
    // Half of all A values have the top bit set; make sure the run covered that padding case.
    expect(highBitA).toBeGreaterThan(0);
  }, 30_000);

  it('refuses a replayed signature with another SECRET_BLOCK, and stale or malformed timestamps', async () => {
    const salt = saltFor(0);
    const v = computeVerifier(computeX(salt, pool.srpName, 'bob', 'Secret-1!'));
    const helper = new AuthenticationHelper(pool.srpName);
    const challenge = await startPasswordVerifier(deps, pool, parseSrpA(largeA(helper)), { verifier: v, salt });
    const now = srpTimestamp(new Date());
    const sig = clientSignature(helper, 'bob', 'Secret-1!', challenge.srpB, challenge.salt, challenge.secretBlock, now);
    const other = randomBytes(64).toString('base64');
    expect(await checkPasswordClaim(deps, pool, challenge.state, v, { userIdForSrp: 'bob', secretBlock: other, timestamp: now, signature: sig })).toBe('mismatch');
    const old = srpTimestamp(new Date(Date.now() - 10 * 60_000));
    expect(await checkPasswordClaim(deps, pool, challenge.state, v, { userIdForSrp: 'bob', secretBlock: challenge.secretBlock, timestamp: old, signature: sig })).toBe('stale');
    expect(await checkPasswordClaim(deps, pool, challenge.state, v, { userIdForSrp: 'bob', secretBlock: challenge.secretBlock, timestamp: '2024-09-03T06:05:09Z', signature: sig })).toBe(
      'bad-timestamp',
    );
  });

  it('accepts a zero-padded day in TIMESTAMP', async () => {
    const salt = saltFor(1);
    const v = computeVerifier(computeX(salt, pool.srpName, 'carol', 'Secret-1!'));
    const helper = new AuthenticationHelper(pool.srpName);
    const challenge = await startPasswordVerifier(deps, pool, parseSrpA(largeA(helper)), { verifier: v, salt });
    const padded = srpTimestamp(new Date()).replace(/^(\w{3} \w{3}) (\d)( )/, '$1 0$2$3');
    const sig = clientSignature(helper, 'carol', 'Secret-1!', challenge.srpB, challenge.salt, challenge.secretBlock, padded);
    expect(await checkPasswordClaim(deps, pool, challenge.state, v, { userIdForSrp: 'carol', secretBlock: challenge.secretBlock, timestamp: padded, signature: sig })).toBe('ok');
  });

  it('rejects A ≡ 0 (mod N) and non-hex A', () => {
    expect(() => parseSrpA('0')).toThrow(InvalidSrpA);
    expect(() => parseSrpA(N.toString(16))).toThrow(InvalidSrpA);
    expect(() => parseSrpA((N * 2n).toString(16))).toThrow(InvalidSrpA);
    expect(() => parseSrpA('xyz')).toThrow(InvalidSrpA);
    // What BigInt('0x…') alone would take: surrounding whitespace, an empty value; and what it refuses.
    const A = clientEphemeral().A.toString(16);
    for (const bad of [`${A} `, `${A}\n`, ` ${A}`, `\t${A}`, '', `${A.slice(0, 10)}_${A.slice(10)}`, `-${A}`, `${A.slice(0, 100)}g${A.slice(101)}`, `0x${A}`]) {
      expect(() => parseSrpA(bad), JSON.stringify(bad.slice(-3))).toThrow(InvalidSrpA);
    }
    expect(() => parseSrpA(A)).not.toThrow();
    expect(() => parseSrpA(A.toUpperCase())).not.toThrow();
  });

  it('gives simulated users a stable salt per pool and name, and can never accept them', async () => {
    const one = simulatedIdentity(deps, pool, 'ghost', 'ghost');
    expect(simulatedIdentity(deps, pool, 'ghost', 'ghost')).toEqual(one);
    expect(simulatedIdentity(deps, pool, 'ghost2', 'ghost2').salt).not.toBe(one.salt);
    expect(simulatedIdentity(deps, { ...pool, id: 'us-east-1_Other' }, 'ghost', 'ghost').salt).not.toBe(one.salt);
    const emailPool = { ...pool, config: { UsernameAttributes: ['email' as const] } };
    expect(simulatedIdentity(deps, emailPool, 'g@example.com', 'g@example.com').userIdForSrp).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const helper = new AuthenticationHelper(pool.srpName);
    const challenge = await startPasswordVerifier(deps, pool, parseSrpA(largeA(helper)), { simulated: { nameKey: 'ghost', salt: one.salt } });
    const timestamp = srpTimestamp(new Date());
    const sig = clientSignature(helper, 'ghost', 'anything', challenge.srpB, challenge.salt, challenge.secretBlock, timestamp);
    expect(await checkPasswordClaim(deps, pool, challenge.state, undefined, { userIdForSrp: 'ghost', secretBlock: challenge.secretBlock, timestamp, signature: sig })).toBe('mismatch');
  });
});
