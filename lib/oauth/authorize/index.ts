import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../../hosted/runtime';
import { OAuthError, type AuthorizeRequest } from '../types';
import { Params } from '../params';
import { oauthError } from '../errors';
import type { AuthorizeCheck, AuthorizeContext } from './context';
import { AUTHORIZE_LIMITS } from './context';
import { rejectDuplicates } from './reject-duplicates';
import { limitLengths } from './limit-lengths';
import { checkClient } from './check-client';
import { checkRedirectUri } from './check-redirect-uri';
import { checkResponseType } from './check-response-type';
import { checkResponseMode } from './check-response-mode';
import { rejectUnsupported } from './reject-unsupported';
import { checkScope } from './check-scope';
import { checkPkce } from './check-pkce';
import { checkPrompt } from './check-prompt';
import { checkMaxAge } from './check-max-age';
import { keepHints } from './keep-hints';

/**
 * Authorization request validation (/oauth2/authorize and /login), a table of small named checks run in
 * order (after node-oidc-provider's lib/actions/authorization). Until the client and redirect URI are
 * established an error is shown on Portico's error page; after that it goes back to the client.
 */
const CHECKS: readonly AuthorizeCheck[] = [
  rejectDuplicates(['client_id', 'redirect_uri']),
  limitLengths(['client_id', 'redirect_uri']),
  checkClient,
  checkRedirectUri,
  // — errors from here on are redirected to the client —
  rejectDuplicates(),
  limitLengths(),
  checkResponseType,
  checkResponseMode,
  rejectUnsupported,
  checkScope,
  checkPkce,
  checkPrompt,
  checkMaxAge,
  keepHints,
];

/** Where a redirectable error goes: the checked redirect URI, the response type's mode, the state. */
export type ErrorRedirect = Pick<AuthorizeRequest, 'redirectUri' | 'responseType' | 'state'>;

export type AuthorizeValidation =
  | { ok: true; request: AuthorizeRequest; client: UserPoolClientType }
  /** `poolId` once the client is known (the issuer for `iss` on an error redirect). */
  | { ok: false; error: OAuthError; request?: ErrorRedirect; poolId?: string };

function errorRedirect(ctx: AuthorizeContext): ErrorRedirect {
  const { params } = ctx;
  const state = params.get('state');
  const stateUsable = state !== undefined && params.count('state') === 1 && state.length <= AUTHORIZE_LIMITS.state;
  return {
    redirectUri: ctx.redirectUri!,
    responseType: params.get('response_type') === 'token' && params.count('response_type') === 1 ? 'token' : 'code',
    state: stateUsable ? state : undefined,
  };
}

export async function validateAuthorizeRequest(rt: HostedRuntime, params: Array<[string, string]>): Promise<AuthorizeValidation> {
  const ctx: AuthorizeContext = { rt, params: new Params(params), request: {} };
  for (const check of CHECKS) {
    try {
      await check(ctx);
    } catch (e) {
      // A failure of Portico's own store is Cognito's `server_error`, still shown or redirected as usual.
      const err = e instanceof OAuthError ? e : oauthError('server_error', 'The request could not be processed', { status: 503 });
      if (ctx.redirectUri === undefined) return { ok: false, error: err };
      return {
        ok: false,
        error: new OAuthError(err.error, err.description, true, err.status),
        request: errorRedirect(ctx),
        poolId: ctx.request.poolId,
      };
    }
  }
  return { ok: true, request: ctx.request as AuthorizeRequest, client: ctx.client! };
}
