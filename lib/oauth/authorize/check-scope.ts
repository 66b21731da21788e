import { oauthError } from '../errors';
import { grantScopes } from '../scopes';
import type { AuthorizeCheck } from './context';

/** Scope grammar and Cognito's allow-list rules (lib/oauth/scopes.ts): the granted scopes. */
export const checkScope: AuthorizeCheck = (ctx) => {
  const grant = grantScopes(ctx.params.get('scope'), ctx.client?.AllowedOAuthScopes ?? []);
  if (!grant.ok) throw oauthError('invalid_scope', grant.description);
  ctx.request.scopes = grant.scopes;
};
