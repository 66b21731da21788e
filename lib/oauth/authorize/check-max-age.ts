import { oauthError } from '../errors';
import type { AuthorizeCheck } from './context';

/** Ten years: longer than any session Portico keeps, short enough to stay a safe integer of ms. */
const MAX_AGE_CAP = 315_360_000;

/** max_age is a non-negative number of seconds (OIDC Core §3.1.2.1). */
export const checkMaxAge: AuthorizeCheck = (ctx) => {
  const value = ctx.params.get('max_age');
  if (value === undefined) return;
  if (!/^\d+$/.test(value) || Number(value) > MAX_AGE_CAP) {
    throw oauthError('invalid_request', 'The max_age parameter must be a non-negative integer number of seconds');
  }
  ctx.request.maxAge = Number(value);
};
