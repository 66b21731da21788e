import { oauthError } from '../errors';
import { repeated } from '../params';
import { AUTHORIZE_PARAMS, type AuthorizeCheck } from './context';

/** A parameter Portico reads must not be sent twice (RFC 6749 §3.1); unknown ones may be anything. */
export function rejectDuplicates(names: readonly string[] = AUTHORIZE_PARAMS): AuthorizeCheck {
  return ({ params }) => {
    const name = repeated(params, names);
    if (name) throw oauthError('invalid_request', `The ${name} parameter was sent more than once`);
  };
}
