import type { AuthOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { decodeJwt } from 'jose';
import type { DemoRelyingParty } from './relying-party';

/**
 * next-auth 4.24 options of the `/demo` relying party (stack-notes G16): a custom OIDC provider
 * "portico" found through discovery, with state, PKCE and nonce checks, client_secret_basic at the token
 * endpoint, a JWT session. After sign-in the session carries the ID token's claims (already verified by
 * next-auth's OIDC client: signature, iss, aud, exp, nonce) and the UserInfo answer — never the tokens.
 */
type Claims = Record<string, unknown>;

export interface DemoSession {
  user?: { name?: string | null; email?: string | null };
  idTokenClaims?: Claims;
  userinfo?: Claims | null;
  expires?: string;
}

async function fetchUserinfo(rp: DemoRelyingParty, accessToken: string | undefined): Promise<Claims | null> {
  if (!accessToken) return null;
  try {
    const res = await fetch(rp.userinfoEndpoint, { headers: { authorization: `Bearer ${accessToken}` }, cache: 'no-store' });
    return res.ok ? ((await res.json()) as Claims) : null;
  } catch {
    return null;
  }
}

export function demoAuthOptions(rp: DemoRelyingParty): AuthOptions {
  // next-auth reads its own URL from the environment on every request; the demo's is derived from
  // PORTICO_URL, and it is the only next-auth app in this process.
  process.env.NEXTAUTH_URL = rp.nextAuthUrl;
  const portico: OAuthConfig<Claims> = {
    id: 'portico',
    name: 'Portico',
    type: 'oauth',
    wellKnown: rp.wellKnown,
    clientId: rp.clientId,
    clientSecret: rp.clientSecret,
    authorization: { params: { scope: 'openid email profile' } },
    checks: ['pkce', 'state', 'nonce'],
    idToken: true,
    client: { token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'RS256' },
    profile(claims) {
      const name = claims['cognito:username'] ?? claims['sub'];
      return { id: String(claims['sub']), name: typeof name === 'string' ? name : null, email: typeof claims['email'] === 'string' ? claims['email'] : null };
    },
  };
  return {
    providers: [portico],
    secret: rp.secret,
    session: { strategy: 'jwt', maxAge: 3600 },
    pages: { signIn: '/demo', error: '/demo' },
    callbacks: {
      async jwt({ token, account }) {
        if (account) {
          token['idTokenClaims'] = account.id_token ? decodeJwt(account.id_token) : undefined;
          token['userinfo'] = await fetchUserinfo(rp, account.access_token);
        }
        return token;
      },
      async session({ session, token }) {
        const out = session as DemoSession;
        out.idTokenClaims = token['idTokenClaims'] as Claims | undefined;
        out.userinfo = (token['userinfo'] as Claims | null | undefined) ?? null;
        return out as typeof session;
      },
    },
  };
}
