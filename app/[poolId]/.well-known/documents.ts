import { findPool } from '@/lib/userpool/pools';
import { messages } from '@/lib/userpool/errors';
import type { EngineDeps } from '@/lib/userpool/context';

/** The embedded pool's public documents, served at `{PORTICO_URL}/{poolId}/.well-known/…` like Cognito's. */
const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, OPTIONS',
};

export function documentResponse(body: unknown, maxAgeSeconds: number): Response {
  return Response.json(body, {
    headers: { ...cors, 'cache-control': `public, max-age=${maxAgeSeconds}` },
  });
}

export function preflight(): Response {
  return new Response(null, { status: 204, headers: { ...cors, 'access-control-max-age': '86400' } });
}

/** 404 for a malformed or unknown pool id, checked before anything is generated for it. */
export async function unknownPool(deps: EngineDeps, poolId: string): Promise<Response | undefined> {
  if (POOL_ID.test(poolId) && (await findPool(deps, poolId))) return undefined;
  return Response.json(
    { error: 'not_found', message: messages.poolNotFound(poolId) },
    { status: 404, headers: { ...cors, 'cache-control': 'no-store' } },
  );
}

export function discoveryDocument(publicUrl: string, poolId: string): Record<string, unknown> {
  const issuer = `${publicUrl}/${poolId}`;
  return {
    issuer,
    authorization_endpoint: `${publicUrl}/oauth2/authorize`,
    token_endpoint: `${publicUrl}/oauth2/token`,
    userinfo_endpoint: `${publicUrl}/oauth2/userInfo`,
    revocation_endpoint: `${publicUrl}/oauth2/revoke`,
    end_session_endpoint: `${publicUrl}/logout`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
  };
}
