import type { HostedRuntime } from './runtime';
import { json, type HttpIn, type HttpOut } from './http';
import { BASIC_CHALLENGE, basicAuthMatches } from '../security/basic-auth';

/**
 * POST /admin/keys/rotate (HTTP Basic with the admin credentials, like the other /admin endpoints):
 * a new key for Portico's AWS-mode ID tokens. The new key signs from then on, on this instance at once
 * and on the others within five minutes; the keys it replaces stay in the JWKS for two days (longer than
 * any ID token lives), so tokens they signed still verify.
 *
 * The embedded pool signs its own tokens with keys the engine creates once per pool and never rotates,
 * so there the answer is a 400 that says rotation is for AWS mode rather than a pretend success.
 */
export async function rotateKeysEndpoint(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  if (!basicAuthMatches(req.headers.get('authorization'), rt.admin)) {
    return json(401, { error: 'unauthorized', message: 'Admin credentials required.' }, { 'www-authenticate': BASIC_CHALLENGE });
  }
  if (req.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'Use POST.' }, { allow: 'POST' });
  if (!rt.idTokens) {
    return json(400, {
      error: 'unsupported_in_embedded_mode',
      error_description:
        "Key rotation applies to AWS mode (PORTICO_AWS_REGION and PORTICO_AWS_POOL_IDS), where Portico signs the ID tokens itself. The embedded pool's signing keys are not rotated.",
    });
  }
  const { kid, retired, retiredListedUntil } = await rt.idTokens.rotate();
  return json(200, { kid, retired, retiredListedUntil: new Date(retiredListedUntil).toISOString() });
}
