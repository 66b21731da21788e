import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import type { FormError } from '../form-errors';

/**
 * The pool's password policy as a list of rules, each with the form error it raises: the sign-up page
 * lists them (and ticks them as the person types), the server checks every one before SignUp so all
 * failing rules are reported at once instead of the pool's first. Character classes are Cognito's
 * (reference §6): Basic-Latin letters, ASCII digits and its symbol set.
 */
export const POLICY_SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';

export type PasswordRuleId = 'minLength' | 'upper' | 'lower' | 'number' | 'symbol';

export interface PasswordRule {
  id: PasswordRuleId;
  error: FormError;
  /** For minLength: the number of characters. */
  count?: number;
}

export function passwordRules(policy: PasswordPolicyType | undefined): PasswordRule[] {
  if (!policy) return [];
  const rules: PasswordRule[] = [];
  if (policy.MinimumLength) rules.push({ id: 'minLength', error: 'password_too_short', count: policy.MinimumLength });
  if (policy.RequireUppercase) rules.push({ id: 'upper', error: 'password_needs_upper' });
  if (policy.RequireLowercase) rules.push({ id: 'lower', error: 'password_needs_lower' });
  if (policy.RequireNumbers) rules.push({ id: 'number', error: 'password_needs_number' });
  if (policy.RequireSymbols) rules.push({ id: 'symbol', error: 'password_needs_symbol' });
  return rules;
}

export function rulePasses(rule: PasswordRule, password: string): boolean {
  switch (rule.id) {
    case 'minLength':
      return [...password].length >= (rule.count ?? 0);
    case 'upper':
      return /[A-Z]/.test(password);
    case 'lower':
      return /[a-z]/.test(password);
    case 'number':
      return /[0-9]/.test(password);
    case 'symbol':
      return [...password].some((c) => POLICY_SYMBOLS.includes(c));
  }
}

/** Every rule the password breaks, in the order the page lists them. */
export function failingRules(policy: PasswordPolicyType | undefined, password: string): FormError[] {
  const failing = passwordRules(policy)
    .filter((r) => !rulePasses(r, password))
    .map((r) => r.error);
  // Cognito refuses a leading or trailing space whatever the policy says.
  if (/^\s|\s$/.test(password)) failing.push('password_policy');
  return failing;
}
