import { oauthError } from '../errors';
import { overLimit } from '../params';
import { AUTHORIZE_LIMITS, type AuthorizeCheck } from './context';

/** Oversized parameters are refused before any work is done with them (security checklist 129). */
export function limitLengths(names: readonly string[] = Object.keys(AUTHORIZE_LIMITS)): AuthorizeCheck {
  const limits = Object.fromEntries(names.map((n) => [n, AUTHORIZE_LIMITS[n]]));
  return ({ params }) => {
    const name = overLimit(params, limits);
    if (name) throw oauthError('invalid_request', `The ${name} parameter is too long`);
  };
}
