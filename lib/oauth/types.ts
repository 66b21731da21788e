/**
 * A validated authorization request: what /oauth2/authorize (and /login) accepted, carried through the
 * sign-in transaction to the code. Everything here was checked by lib/oauth/authorize checks.
 */
export interface AuthorizeRequest {
  clientId: string;
  poolId: string;
  responseType: 'code' | 'token';
  redirectUri: string;
  /** Granted scopes after Cognito's silent dropping of scopes the client may not have. */
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  prompt?: 'none' | 'login' | 'select_account' | 'consent';
  /** Seconds. */
  maxAge?: number;
  loginHint?: string;
  uiLocales?: string;
  lang?: string;
  /**
   * Embedded mode (lib/hosted/embed): the parent page's origin, one of the client's frameOrigins; the
   * response is posted to exactly this origin instead of redirecting the frame.
   */
  embed?: { parent: string };
  /** The custom domain's base URL the request came in on (lib/domains); unset on PORTICO_URL. */
  baseUrl?: string;
}

/** An OAuth error as RFC 6749 names it. `redirectable` is false until client and redirect URI are valid. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly redirectable: boolean,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}
