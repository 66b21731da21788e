import { oauthError } from '../errors';
import { isChallenge, PKCE_METHOD } from '../pkce';
import { oauthSettings } from '../client-settings';
import type { AuthorizeCheck } from './context';

/**
 * PKCE, S256 only (`plain` always refused; a challenge without a method would mean `plain`), the
 * challenge exactly 43 base64url characters. Required for the code flow of every client without a
 * secret and of clients whose Portico settings ask for it (ARCHITECTURE.md, "Where Cognito and the
 * security checklist differ").
 */
export const checkPkce: AuthorizeCheck = async (ctx) => {
  if (ctx.request.responseType !== 'code') return;
  const challenge = ctx.params.get('code_challenge');
  const method = ctx.params.get('code_challenge_method');
  if (challenge === undefined) {
    if (method !== undefined) throw oauthError('invalid_request', 'The code_challenge_method was sent without a code_challenge');
    const required = !ctx.client?.ClientSecret || (await oauthSettings(ctx.rt.db, ctx.request.clientId!)).requirePkce;
    if (required) throw oauthError('invalid_request', 'A code_challenge is required for this client');
    return;
  }
  if (method !== PKCE_METHOD) throw oauthError('invalid_request', 'The code_challenge_method must be S256');
  if (!isChallenge(challenge)) throw oauthError('invalid_request', 'The code_challenge must be 43 base64url characters');
  ctx.request.codeChallenge = challenge;
  ctx.request.codeChallengeMethod = PKCE_METHOD;
};
