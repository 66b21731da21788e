import { oauthError } from '../errors';
import type { AuthorizeCheck } from './context';

/** Only each response type's own mode: query for `code`, fragment for `token` (security checklist 7). */
export const checkResponseMode: AuthorizeCheck = (ctx) => {
  const mode = ctx.params.get('response_mode');
  if (mode === undefined) return;
  const expected = ctx.request.responseType === 'token' ? 'fragment' : 'query';
  if (mode !== expected) throw oauthError('invalid_request', 'The response_mode is not supported for this response_type');
};
