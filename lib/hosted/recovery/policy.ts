import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import type { FormError } from '../form-errors';

/**
 * The pool's password policy as the hosted front checks it before asking the pool: every rule the new
 * password breaks at once (the pool itself names only the first), so the person fixes them in one go.
 * Mirrors Cognito's rules (reference §6): length in code points, Basic-Latin letters, ASCII digits,
 * Cognito's symbol set, at most 256 characters, no leading or trailing space.
 */
export const MAX_PASSWORD_LENGTH = 256;
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- '.split(''));

export interface Policy {
  minimumLength: number;
  upper: boolean;
  lower: boolean;
  number: boolean;
  symbol: boolean;
}

/** A pool without a stated policy has Cognito's default: 8 characters, every class required. */
export function policyOf(p: PasswordPolicyType | undefined): Policy {
  return {
    minimumLength: p?.MinimumLength ?? 8,
    upper: p?.RequireUppercase ?? true,
    lower: p?.RequireLowercase ?? true,
    number: p?.RequireNumbers ?? true,
    symbol: p?.RequireSymbols ?? true,
  };
}

/** The rule codes (FORM_ERRORS) the password breaks, in the order the policy is listed; empty if it conforms. */
export function brokenRules(policy: Policy, password: string): FormError[] {
  const chars = [...password];
  const out: FormError[] = [];
  if (chars.length < policy.minimumLength) out.push('password_too_short');
  if (policy.upper && !/[A-Z]/.test(password)) out.push('password_needs_upper');
  if (policy.lower && !/[a-z]/.test(password)) out.push('password_needs_lower');
  if (policy.number && !/[0-9]/.test(password)) out.push('password_needs_number');
  if (policy.symbol && !chars.some((c) => SYMBOLS.has(c))) out.push('password_needs_symbol');
  if (/^\s|\s$/.test(password)) out.push('password_policy');
  return out;
}
