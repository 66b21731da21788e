import { z } from 'zod';
import { formParam } from '../endpoint';

/**
 * The token request body (RFC 6749 §4.1.3, §6; RFC 7636 §4.5). Caps are generous: a value within them
 * but wrong is the grant's error (a 129-character code_verifier is invalid_grant, RFC 7636 §4.6), only
 * beyond them is the request itself malformed.
 */
export const TokenForm = z.object({
  grant_type: formParam(128),
  code: formParam(2048),
  redirect_uri: formParam(2048),
  code_verifier: formParam(1024),
  refresh_token: formParam(16_384),
  scope: formParam(4096),
  client_id: formParam(1024),
  client_secret: formParam(1024),
});

export type TokenRequest = z.infer<typeof TokenForm>;
