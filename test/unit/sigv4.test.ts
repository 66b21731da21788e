import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySigV4, type SignedRequest } from '@/lib/userpool/sigv4';
import { CognitoError } from '@/lib/userpool/errors';

/**
 * The embedded pool's SigV4 check builds the canonical request itself; these requests are signed by the
 * AWS signing library the SDK uses, so any difference in canonicalisation shows up as a refusal.
 */
class NodeSha256 {
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
  reset() {}
}

const admin = { keyId: 'PORTICOTESTKEY', secret: 'test-secret/with+odd=chars' };
const NOW = Date.UTC(2026, 10, 27, 1, 2, 3);

interface SignOptions {
  body?: string;
  headers?: Record<string, string>;
  region?: string;
  secret?: string;
  checksum?: boolean;
  at?: number;
}

async function signed(o: SignOptions = {}): Promise<SignedRequest> {
  const body = o.body ?? JSON.stringify({ UserPoolId: 'eu-west-1_abc', Username: 'ünïcødé user' });
  const signer = new SignatureV4({
    credentials: { accessKeyId: admin.keyId, secretAccessKey: o.secret ?? admin.secret },
    region: o.region ?? 'eu-west-1',
    service: 'cognito-idp',
    sha256: NodeSha256 as never,
    uriEscapePath: true,
    applyChecksum: o.checksum ?? false,
  });
  const out = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: 'login.example:8443',
      path: '/',
      query: {},
      headers: {
        host: 'login.example:8443',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
        ...o.headers,
      },
      body,
    },
    { signingDate: new Date(o.at ?? NOW) },
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) headers[k.toLowerCase()] = String(v);
  return { method: 'POST', headers, body };
}

function refusal(req: SignedRequest, now = NOW): string | undefined {
  try {
    verifySigV4(req, admin, now);
    return undefined;
  } catch (e) {
    if (e instanceof CognitoError) return e.name;
    throw e;
  }
}

describe('SigV4 verification of admin calls', () => {
  it('accepts what the AWS signing library signs, across bodies, headers, regions and checksums', async () => {
    const variants: SignOptions[] = [
      {},
      { body: '' },
      { body: '{}' },
      { body: JSON.stringify({ Username: 'x'.repeat(5000), Note: '日本語 😀 \\n "quoted"' }) },
      { region: 'us-gov-west-1' },
      { checksum: true },
      { headers: { 'x-extra-header': '  spaced    out\tvalue  ' } },
      { headers: { 'x-amz-user-agent': 'aws-sdk-js/3', 'x-amz-security-marker': 'a,b;c' } },
      { at: NOW - 4 * 60 * 1000 },
      { at: Date.UTC(2026, 11, 31, 23, 59, 59) },
    ];
    for (const v of variants) {
      const req = await signed(v);
      const now = v.at === undefined || v.at === NOW - 4 * 60 * 1000 ? NOW : v.at;
      expect(refusal(req, now), JSON.stringify(v)).toBeUndefined();
    }
    for (let i = 0; i < 20; i++) {
      const req = await signed({ body: JSON.stringify({ Username: randomBytes(40).toString('base64'), n: i }), headers: { 'x-random': randomBytes(6).toString('hex') } });
      expect(refusal(req)).toBeUndefined();
    }
  });

  it('refuses a request changed after signing: body, a signed header, the method, the host', async () => {
    const req = await signed();
    expect(refusal({ ...req, body: req.body.replace('abc', 'abd') })).toBe('InvalidSignatureException');
    expect(refusal({ ...req, headers: { ...req.headers, 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminDeleteUser' } })).toBe('InvalidSignatureException');
    expect(refusal({ ...req, method: 'PUT' })).toBe('InvalidSignatureException');
    expect(refusal({ ...req, headers: { ...req.headers, host: 'evil.example' } })).toBe('InvalidSignatureException');
    // An unsigned header may change (proxies add them) without affecting the signature.
    expect(refusal({ ...req, headers: { ...req.headers, 'x-forwarded-for': '203.0.113.9' } })).toBeUndefined();
  });

  it('refuses a wrong secret, another key id, a wrong service and a stale or malformed date', async () => {
    expect(refusal(await signed({ secret: 'not-the-secret' }))).toBe('InvalidSignatureException');
    const req = await signed();
    expect(refusal({ ...req, headers: { ...req.headers, authorization: req.headers['authorization']!.replace(admin.keyId, 'OTHERKEY') } })).toBe('UnrecognizedClientException');
    expect(refusal({ ...req, headers: { ...req.headers, authorization: req.headers['authorization']!.replace('/cognito-idp/', '/s3/') } })).toBe('InvalidSignatureException');
    expect(refusal(await signed({ at: NOW - 6 * 60 * 1000 }))).toBe('InvalidSignatureException');
    expect(refusal({ ...req, headers: { ...req.headers, 'x-amz-date': '20261131T010203Z' } })).toBe('IncompleteSignatureException');
    expect(refusal({ ...req, headers: { ...req.headers, 'x-amz-date': '2026-11-27T01:02:03Z' } })).toBe('IncompleteSignatureException');
    const { authorization: _, ...unsigned } = req.headers;
    expect(refusal({ ...req, headers: unsigned })).toBe('MissingAuthenticationTokenException');
  });

  it('refuses a signed x-amz-content-sha256 that does not name the body, even when the signature matches it', async () => {
    const req = await signed({ checksum: true });
    expect(req.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(req.body).digest('hex'));
    // The client signs a declared hash and sends another body: the signature covers only the hash.
    const lying = await signed({ headers: { 'x-amz-content-sha256': createHash('sha256').update('{"Username":"other"}').digest('hex') } });
    expect(refusal(lying)).toBe('InvalidSignatureException');
  });

  it('refuses signed-header lists it cannot rebuild: without host, or naming a header not sent', async () => {
    const req = await signed();
    const auth = req.headers['authorization']!;
    const withoutHost = auth.replace(/SignedHeaders=([^,]+)/, (_, list: string) => `SignedHeaders=${list.split(';').filter((h) => h !== 'host').join(';')}`);
    expect(refusal({ ...req, headers: { ...req.headers, authorization: withoutHost } })).toBe('InvalidSignatureException');
    const twice = auth.replace(/SignedHeaders=([^,]+)/, (_, list: string) => `SignedHeaders=host;${list}`);
    expect(refusal({ ...req, headers: { ...req.headers, authorization: twice } })).toBe('InvalidSignatureException');
    const extra = auth.replace(/SignedHeaders=([^,]+)/, (_, list: string) => `SignedHeaders=${list};x-not-sent`);
    expect(refusal({ ...req, headers: { ...req.headers, authorization: extra } })).toBe('InvalidSignatureException');
  });
});
