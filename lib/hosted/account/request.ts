import type { AuthorizeRequest } from '../../oauth/types';

/**
 * The account sign-in: an ordinary sign-in transaction (the /login page, then MFA or new-password
 * challenges as usual) whose authorization request is synthetic and never reaches an app. The mark
 * lives on the request, not beside it in the transaction state, because every step of the dialogue
 * rebuilds the state but carries the request unchanged. `redirectUri` is the account page to return to
 * (a Portico path), never an app's address.
 */
export interface AccountSignInRequest extends AuthorizeRequest {
  account: true;
}

export function isAccountSignIn(request: AuthorizeRequest): request is AccountSignInRequest {
  return (request as Partial<AccountSignInRequest>).account === true;
}

export function accountSignInRequest(o: {
  clientId: string;
  poolId: string;
  returnTo: string;
  username?: string;
  lang?: string;
  uiLocales?: string;
}): AccountSignInRequest {
  return {
    account: true,
    clientId: o.clientId,
    poolId: o.poolId,
    responseType: 'code',
    redirectUri: o.returnTo,
    // No OAuth scopes: the pool then issues API tokens with aws.cognito.signin.user.admin, which its
    // self-service operations require (lib/userpool/oauth-scopes.ts).
    scopes: [],
    prompt: 'login',
    loginHint: o.username,
    lang: o.lang,
    uiLocales: o.uiLocales,
  };
}
