import { oauthError } from '../errors';
import type { AuthorizeRequest } from '../types';
import type { AuthorizeCheck } from './context';

type Prompt = NonNullable<AuthorizeRequest['prompt']>;
/** Strongest effect first: `login` forces the password, the others only pass through. */
const PROMPTS: readonly Prompt[] = ['none', 'login', 'select_account', 'consent'];

/** OIDC Core §3.1.2.1: a space-separated list of known values; `none` stands alone. */
export const checkPrompt: AuthorizeCheck = (ctx) => {
  const value = ctx.params.get('prompt');
  if (value === undefined) return;
  const values = value.split(' ').filter((v) => v !== '');
  if (values.length === 0 || !values.every((v) => (PROMPTS as readonly string[]).includes(v))) {
    throw oauthError('invalid_request', 'The prompt parameter has an unsupported value');
  }
  if (values.includes('none') && values.length > 1) {
    throw oauthError('invalid_request', 'prompt=none cannot be combined with other values');
  }
  ctx.request.prompt = PROMPTS.find((p) => values.includes(p));
};
