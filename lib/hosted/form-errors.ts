/**
 * What can go wrong on a step of the sign-in dialogue, as stable codes the pages translate
 * (locales/<lng>/hosted.json, `form.<code>`). Pool errors are mapped here so that a page never shows a
 * raw exception name or Cognito's English message. Codes travel in the step URL (`?error=`) and only
 * codes of this list are ever shown.
 */
export const FORM_ERRORS = [
  'missing_fields',
  'wrong_credentials',
  'too_many_attempts',
  'temp_password_expired',
  'not_confirmed',
  'password_reset_required',
  'wrong_code',
  'code_expired',
  'code_expired_resend',
  'session_expired',
  'password_mismatch',
  'password_too_short',
  'password_needs_upper',
  'password_needs_lower',
  'password_needs_number',
  'password_needs_symbol',
  'password_same_as_temporary',
  'password_policy',
  'password_reused',
  'invalid_attributes',
  'invalid_email',
  'rate_limited',
  'delivery_failed',
  'mfa_unavailable',
  'sign_in_unavailable',
  'required',
  'value_too_long',
  'invalid_phone',
  'invalid_number',
  'invalid_date',
  'invalid_value',
  'username_exists',
  'alias_exists',
  'already_confirmed',
  'resend_cooldown',
  'send_limit',
  'wrong_password',
  'signup_unavailable',
  'mfa_required',
  'change_unavailable',
  'same_value',
  'username_shape',
  'unexpected',
] as const;

export type FormError = (typeof FORM_ERRORS)[number];

/** The errors that belong next to the new-password field (the rest go to the form's summary only). */
export const PASSWORD_ERRORS: ReadonlySet<FormError> = new Set(FORM_ERRORS.filter((e) => e.startsWith('password_')));

export function isFormError(value: unknown): value is FormError {
  return typeof value === 'string' && (FORM_ERRORS as readonly string[]).includes(value);
}

export interface MappedError {
  code: FormError;
  /** The pool's Session can no longer be answered: the person starts again at the password. */
  restart: boolean;
}

function passwordRule(message: string): FormError {
  if (/not long enough/i.test(message)) return 'password_too_short';
  if (/uppercase/i.test(message)) return 'password_needs_upper';
  if (/lowercase/i.test(message)) return 'password_needs_lower';
  if (/numeric/i.test(message)) return 'password_needs_number';
  if (/symbol/i.test(message)) return 'password_needs_symbol';
  if (/temporary password/i.test(message)) return 'password_same_as_temporary';
  return 'password_policy';
}

/** Maps an error thrown by the Cognito client to a form error; `expected` is false for the unknown. */
export function mapPoolError(e: unknown): MappedError & { expected: boolean } {
  const name = (e as { name?: string } | undefined)?.name ?? '';
  const message = (e as { message?: string } | undefined)?.message ?? '';
  const keep = (code: FormError) => ({ code, restart: false, expected: true });
  const restart = (code: FormError) => ({ code, restart: true, expected: true });
  switch (name) {
    case 'NotAuthorizedException':
      if (/SECRET_HASH|secret hash/i.test(message)) return { code: 'unexpected', restart: false, expected: false };
      if (/flow not enabled|not enabled for this client/i.test(message)) return keep('sign_in_unavailable');
      if (/Password attempts exceeded/i.test(message)) return keep('too_many_attempts');
      if (/Temporary password has expired/i.test(message)) return keep('temp_password_expired');
      if (/session/i.test(message)) return restart('session_expired');
      // Wrong password, unknown or disabled user alike (no account enumeration, checklist §9).
      return keep('wrong_credentials');
    case 'UserNotFoundException':
      return keep('wrong_credentials');
    case 'UsernameExistsException':
      return keep('username_exists');
    case 'AliasExistsException':
      return keep('alias_exists');
    case 'UserNotConfirmedException':
      return keep('not_confirmed');
    case 'PasswordResetRequiredException':
      return keep('password_reset_required');
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      return keep('wrong_code');
    case 'ExpiredCodeException':
      return restart('code_expired');
    case 'TooManyFailedAttemptsException':
      return restart('too_many_attempts');
    case 'InvalidPasswordException':
      return keep(passwordRule(message));
    case 'PasswordHistoryPolicyViolationException':
      return keep('password_reused');
    case 'InvalidParameterException':
      if (/flow not enabled/i.test(message)) return keep('sign_in_unavailable');
      if (/email address/i.test(message)) return keep('invalid_email');
      if (/attributes?/i.test(message)) return keep('invalid_attributes');
      return { code: 'unexpected', restart: false, expected: false };
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return keep('rate_limited');
    case 'CodeDeliveryFailureException':
      return restart('delivery_failed');
    case 'InvalidUserPoolConfigurationException':
    case 'MFAMethodNotFoundException':
    case 'SoftwareTokenMFANotFoundException':
      return restart('mfa_unavailable');
    default:
      return { code: 'unexpected', restart: false, expected: false };
  }
}
