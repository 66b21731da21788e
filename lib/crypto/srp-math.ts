import { createHash, createHmac } from 'node:crypto';
import { randomExponent } from './random';
import { N, SrpError, modPowChainAsync, modPowN, modPowNAsync, randomPowers } from './crypto-pool';

/**
 * SRP-6a exactly as amazon-cognito-identity-js and Amplify compute it (reference §4). Shared by the
 * embedded pool (server side) and the hosted front (client side); pure math, no I/O.
 *
 * Modular exponentiation goes through OpenSSL (./crypto-pool). Each step that exponentiates has a sync
 * form (on the calling thread) and an `…Async` form (on the crypto threads) with byte-identical results:
 * the request paths use the async forms so a sign-in's few ms of math stay off Node's main thread.
 */
export { N, SrpError, modPowN };
export const g = 2n;
const N_HEX = N.toString(16);

/**
 * BigInt reads only hex digits after `0x` (no sign, no separators) but allows whitespace around them, so
 * a trailing space or newline is refused here; a regular expression over the 768 digits of A or B cost
 * more than the parse.
 */
export function bigFromHex(hex: string): bigint {
  const last = hex.charCodeAt(hex.length - 1);
  const digit = (last >= 48 && last <= 57) || (last >= 65 && last <= 70) || (last >= 97 && last <= 102);
  if (!digit) throw new SrpError('not a hex number');
  try {
    return BigInt(`0x${hex}`);
  } catch {
    throw new SrpError('not a hex number');
  }
}

export function toHex(n: bigint): string {
  return n.toString(16);
}

/** Java BigInteger.toByteArray form: even length, and a leading 00 when the top bit is set. */
export function padHex(value: bigint | string): string {
  let hex = typeof value === 'bigint' ? value.toString(16) : value.toLowerCase().replace(/^0+(?=.)/, '');
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if ('89abcdef'.includes(hex[0]!)) hex = `00${hex}`;
  return hex;
}

export function hashHex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function hexHash(hex: string): string {
  return hashHex(Buffer.from(hex, 'hex'));
}

export const k = bigFromHex(hexHash(`${padHex(N_HEX)}${padHex(g)}`));

export { randomExponent };

/** x = H(PAD(s) ‖ H(poolName ‖ userId ‖ ":" ‖ password)); the password is hashed as raw UTF-8, no normalisation. */
export function computeX(saltHex: string, poolName: string, userId: string, password: string): bigint {
  const inner = hashHex(Buffer.from(`${poolName}${userId}:${password}`, 'utf8'));
  return bigFromHex(hexHash(`${padHex(bigFromHex(saltHex))}${inner}`));
}

export function computeVerifier(x: bigint): bigint {
  return modPowN(g, x);
}

export function computeVerifierAsync(x: bigint): Promise<bigint> {
  return modPowNAsync(g, x);
}

export function computeU(A: bigint, B: bigint): bigint {
  return bigFromHex(hexHash(`${padHex(A)}${padHex(B)}`));
}

/** HKDF as the Cognito clients do it: PRK = HMAC(PAD(u), PAD(S)); K = HMAC(PRK, "Caldera Derived Key" ‖ 0x01)[0:16]. */
export function deriveKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

export function claimSignature(key: Buffer, poolName: string, userId: string, secretBlock: string, timestamp: string): string {
  return createHmac('sha256', key)
    .update(Buffer.from(poolName, 'utf8'))
    .update(Buffer.from(userId, 'utf8'))
    .update(Buffer.from(secretBlock, 'base64'))
    .update(Buffer.from(timestamp, 'utf8'))
    .digest('base64');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue Sep 3 06:05:09 UTC 2024" — the clients' TIMESTAMP format (day not zero-padded). */
export function srpTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/** Parses the TIMESTAMP format (zero-padded day accepted too); undefined when it is not that format. */
export function parseSrpTimestamp(text: string): Date | undefined {
  const m = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[7]), MONTHS.indexOf(m[2]!), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

// ---- server side ----------------------------------------------------------------------------

export interface ServerEphemeral {
  b: bigint;
  B: bigint;
}

export function serverEphemeral(v: bigint): ServerEphemeral {
  for (;;) {
    const b = randomExponent(32);
    const B = (k * v + modPowN(g, b)) % N;
    if (B !== 0n) return { b, B };
  }
}

/** b and g^b come ready-made from the crypto threads' supply (./crypto-pool, RandomPowers). */
export async function serverEphemeralAsync(v: bigint): Promise<ServerEphemeral> {
  for (;;) {
    const { exp: b, pow } = await randomPowers().take();
    const B = (k * v + pow) % N;
    if (B !== 0n) return { b, B };
  }
}

/** The server's session key, or SrpError when A is degenerate (A mod N = 0, u = 0). */
export function serverKey(A: bigint, B: bigint, b: bigint, v: bigint): Buffer {
  if (A % N === 0n) throw new SrpError('illegal A');
  const u = computeU(A, B);
  if (u === 0n) throw new SrpError('illegal u');
  const S = modPowN((A * modPowN(v, u)) % N, b);
  return deriveKey(S, u);
}

export async function serverKeyAsync(A: bigint, B: bigint, b: bigint, v: bigint): Promise<Buffer> {
  if (A % N === 0n) throw new SrpError('illegal A');
  const u = computeU(A, B);
  if (u === 0n) throw new SrpError('illegal u');
  // S = (A · v^u)^b in one round trip.
  const S = await modPowChainAsync(v, u, A, 0n, b);
  return deriveKey(S, u);
}

// ---- client side ----------------------------------------------------------------------------

export interface ClientEphemeral {
  a: bigint;
  A: bigint;
}

export function clientEphemeral(): ClientEphemeral {
  for (;;) {
    const a = randomExponent(32);
    const A = modPowN(g, a);
    if (A % N !== 0n) return { a, A };
  }
}

export async function clientEphemeralAsync(): Promise<ClientEphemeral> {
  for (;;) {
    const { exp: a, pow: A } = await randomPowers().take();
    if (A % N !== 0n) return { a, A };
  }
}

export function clientKey(a: bigint, A: bigint, B: bigint, x: bigint): Buffer {
  if (B % N === 0n) throw new SrpError('illegal B');
  const u = computeU(A, B);
  if (u === 0n) throw new SrpError('illegal u');
  const base = (((B - k * modPowN(g, x)) % N) + N) % N;
  const S = modPowN(base, a + u * x);
  return deriveKey(S, u);
}

export async function clientKeyAsync(a: bigint, A: bigint, B: bigint, x: bigint): Promise<Buffer> {
  if (B % N === 0n) throw new SrpError('illegal B');
  const u = computeU(A, B);
  if (u === 0n) throw new SrpError('illegal u');
  // S = (B − k·g^x)^(a + u·x) in one round trip (the thread reduces B − k·g^x mod N as modPowN does).
  const S = await modPowChainAsync(g, x, -k, B, a + u * x);
  return deriveKey(S, u);
}
