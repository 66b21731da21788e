import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from '../../hosted/runtime';
import type { Params } from '../params';
import type { AuthorizeRequest } from '../types';

/**
 * What the authorization-request checks share: the raw parameters, and what earlier checks established.
 * Once `redirectUri` is set the client and redirect URI are trusted, and errors become redirects.
 */
export interface AuthorizeContext {
  rt: HostedRuntime;
  params: Params;
  client?: UserPoolClientType;
  redirectUri?: string;
  request: Partial<AuthorizeRequest>;
}

export type AuthorizeCheck = (ctx: AuthorizeContext) => void | Promise<void>;

/** The parameters Portico reads at /oauth2/authorize; anything else is ignored (RFC 6749 §3.1). */
export const AUTHORIZE_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'login_hint',
  'lang',
  'ui_locales',
  'identity_provider',
  'idp_identifier',
  'request',
  'request_uri',
  'registration',
] as const;

/**
 * Length limits (characters). `state` and `nonce` have room for long opaque values (2 KB and more are
 * echoed byte for byte); beyond the caps a request is refused, never truncated.
 */
export const AUTHORIZE_LIMITS: Readonly<Record<string, number>> = {
  client_id: 128,
  redirect_uri: 1024,
  response_type: 64,
  response_mode: 32,
  scope: 4096,
  state: 4096,
  nonce: 4096,
  code_challenge: 128,
  code_challenge_method: 32,
  prompt: 64,
  max_age: 12,
  login_hint: 512,
  lang: 35,
  ui_locales: 256,
  identity_provider: 128,
  idp_identifier: 128,
};
