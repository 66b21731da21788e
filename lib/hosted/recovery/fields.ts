/** What the recovery pages and their handlers agree on: limits, how long the forms stay open, query and flash names. */

/** A password reset takes longer than the 5-minute sign-in window: code from the mailbox, new password. */
export const SELF_SERVICE_TTL_MS = 30 * 60_000;
export const MAX_USERNAME_LENGTH = 128;
/** Cognito's longest password. */
export const MAX_PASSWORD_LENGTH = 256;
/** `?sent=1` on /confirmforgotPassword: a new code was asked for. */
export const RESENT_PARAM = 'sent';
/** Flash value that carries the broken password rules to the page (rule codes only, never the password). */
export const RULES_VALUE = 'passwordRules';
