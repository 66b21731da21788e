import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { CognitoError } from './errors';
import { safeEqual } from '../crypto/compare';
import type { AdminCredentials } from './context';

/**
 * Verifies an AWS Signature Version 4 on an admin call by re-signing the request with the AWS signing
 * library and comparing in constant time. The request is rebuilt as the client signed it: path `/` and
 * the Host the client saw (stack-notes G22), only the headers it listed as signed.
 */
class Sha256 {
  private readonly hash;
  constructor(secret?: unknown) {
    this.hash = secret ? createHmac('sha256', secret as Buffer) : createHash('sha256');
  }
  update(data: Uint8Array | string) {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset() {
    throw new Error('not supported');
  }
}

const MAX_SKEW_MS = 5 * 60 * 1000;

const missing = () =>
  new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token');
const incomplete = (what: string) =>
  new CognitoError('IncompleteSignatureException', `Authorization header requires '${what}' parameter.`);
const unrecognized = () =>
  new CognitoError('UnrecognizedClientException', 'The security token included in the request is invalid.');
const mismatch = () =>
  new CognitoError(
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

function compact(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface SignedRequest {
  method: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * One signer per credentials, region and checksum setting: a signer keeps the day's derived signing key,
 * so a new one per request re-derived it (four HMACs) on every admin call.
 */
const signers = new WeakMap<AdminCredentials, Map<string, SignatureV4>>();

function signerFor(admin: AdminCredentials, region: string, applyChecksum: boolean): SignatureV4 {
  let byScope = signers.get(admin);
  if (!byScope) signers.set(admin, (byScope = new Map()));
  const key = `${region}|${applyChecksum}`;
  let signer = byScope.get(key);
  if (!signer) {
    signer = new SignatureV4({
      credentials: { accessKeyId: admin.keyId, secretAccessKey: admin.secret },
      region,
      service: 'cognito-idp',
      sha256: Sha256 as never,
      uriEscapePath: true,
      applyChecksum,
    });
    // Regions come from the caller's credential scope: keep the map small whatever they send.
    if (byScope.size < 32) byScope.set(key, signer);
  }
  return signer;
}

export async function verifySigV4(req: SignedRequest, admin: AdminCredentials, nowMs: number): Promise<void> {
  const auth = req.headers['authorization'];
  if (!auth) throw missing();
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(auth);
  if (!m) throw new CognitoError('IncompleteSignatureException', 'Unsupported authorization type');
  const params = new Map<string, string>();
  for (const part of m[1]!.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) params.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signature = params.get('Signature');
  if (!credential) throw incomplete('Credential');
  if (!signedHeaders) throw incomplete('SignedHeaders');
  if (!signature) throw incomplete('Signature');
  const [keyId, scopeDate, region, service, terminator] = credential.split('/');
  if (!keyId || !scopeDate || !region || !service || terminator !== 'aws4_request') {
    throw new CognitoError('IncompleteSignatureException', 'Credential should be scoped to a valid region.');
  }
  if (!safeEqual(keyId, admin.keyId)) throw unrecognized();
  if (service !== 'cognito-idp') {
    throw new CognitoError('InvalidSignatureException', `Credential should be scoped to correct service: 'cognito-idp'.`);
  }
  const amzDate = req.headers['x-amz-date'];
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!signingDate) throw new CognitoError('IncompleteSignatureException', 'Date must be in ISO-8601 \'basic format\'.');
  if (Math.abs(nowMs - signingDate.getTime()) > MAX_SKEW_MS) {
    const earlier = nowMs > signingDate.getTime();
    throw new CognitoError(
      'InvalidSignatureException',
      `Signature expired: ${compact(signingDate)} is now ${earlier ? 'earlier' : 'later'} than ${compact(
        new Date(nowMs + (earlier ? -MAX_SKEW_MS : MAX_SKEW_MS)),
      )} (${compact(new Date(nowMs))} ${earlier ? '-' : '+'} 5 min.)`,
    );
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) throw mismatch();
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) throw mismatch();
    headers[name] = value;
  }
  const signer = signerFor(admin, region, names.includes('x-amz-content-sha256'));
  const host = headers['host']!;
  const signed = await signer.sign(
    { method: req.method, protocol: 'https:', hostname: host, path: '/', query: {}, headers, body: req.body },
    {
      signingDate,
      signableHeaders: new Set(names),
      unsignableHeaders: new Set(),
    },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization'] ?? ''))?.[1] ?? '';
  if (!safeEqual(expected, signature)) throw mismatch();
}
