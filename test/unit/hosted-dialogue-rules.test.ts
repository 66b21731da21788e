import { describe, expect, it } from 'vitest';
import { URI } from 'otpauth';
import { mapPoolError, isFormError, FORM_ERRORS } from '../../lib/hosted/form-errors';
import { hostedRewriteTarget, isHostedPage, stepUrl, errorPageUrl, STEP_PATH } from '../../lib/hosted/routes';
import { otpauthUri, qrDataUrl } from '../../lib/hosted/totp-enrolment';
import { attributeInput } from '../../lib/hosted/attribute-inputs';
import { passwordFlowOf } from '../../lib/hosted/signin';
import { normaliseCode } from '../../lib/hosted/challenges';
import { csrfToken, csrfValid } from '../../lib/hosted/csrf';
import { createSecretBox } from '../../lib/crypto/secretbox';
import { translator } from '../../lib/i18n/translate';
import { locales } from '../../lib/i18n/locales';
import type { HostedRuntime } from '../../lib/hosted/runtime';

/** Pure rules of the hosted dialogue: error mapping, routing, TOTP enrolment URI, inputs, flows, CSRF. */
const poolError = (name: string, message = '') => Object.assign(new Error(message), { name });

describe('pool errors → form errors', () => {
  it.each([
    ['NotAuthorizedException', 'Incorrect username or password.', 'wrong_credentials', false],
    ['NotAuthorizedException', 'User is disabled.', 'wrong_credentials', false],
    ['UserNotFoundException', 'User does not exist.', 'wrong_credentials', false],
    ['NotAuthorizedException', 'Password attempts exceeded', 'too_many_attempts', false],
    ['NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.', 'temp_password_expired', false],
    ['NotAuthorizedException', 'Invalid session for the user, session is expired.', 'session_expired', true],
    ['NotAuthorizedException', 'Unable to verify secret hash for client abc', 'unexpected', false],
    ['UserNotConfirmedException', 'User is not confirmed.', 'not_confirmed', false],
    ['PasswordResetRequiredException', 'Password reset required for the user', 'password_reset_required', false],
    ['CodeMismatchException', 'Invalid code or auth state for the user.', 'wrong_code', false],
    ['EnableSoftwareTokenMFAException', 'Code mismatch', 'wrong_code', false],
    ['ExpiredCodeException', 'Invalid code provided, please request a code again.', 'code_expired', true],
    ['InvalidPasswordException', 'Password does not conform to policy: Password not long enough', 'password_too_short', false],
    ['InvalidPasswordException', 'Password does not conform to policy: Password must have uppercase characters', 'password_needs_upper', false],
    ['InvalidPasswordException', 'Password does not conform to policy: Password must have lowercase characters', 'password_needs_lower', false],
    ['InvalidPasswordException', 'Password does not conform to policy: Password must have numeric characters', 'password_needs_number', false],
    ['InvalidPasswordException', 'Password does not conform to policy: Password must have symbol characters', 'password_needs_symbol', false],
    ['InvalidPasswordException', 'Password does not conform to policy: New password must be different from the temporary password', 'password_same_as_temporary', false],
    ['PasswordHistoryPolicyViolationException', '', 'password_reused', false],
    ['InvalidParameterException', 'Invalid email address format.', 'invalid_email', false],
    ['InvalidParameterException', 'Attributes did not conform to the schema: name: The attribute name is required', 'invalid_attributes', false],
    ['InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client', 'sign_in_unavailable', false],
    ['TooManyRequestsException', 'Rate exceeded', 'rate_limited', false],
    ['TooManyFailedAttemptsException', '', 'too_many_attempts', true],
    ['CodeDeliveryFailureException', '', 'delivery_failed', true],
    ['SoftwareTokenMFANotFoundException', '', 'mfa_unavailable', true],
    ['InternalErrorException', 'boom', 'unexpected', false],
  ])('%s "%s" → %s (restart %s)', (name, message, code, restart) => {
    const mapped = mapPoolError(poolError(name, message));
    expect(mapped.code).toBe(code);
    expect(mapped.restart).toBe(restart);
  });

  it('marks only unknown failures as unexpected (those are logged)', () => {
    expect(mapPoolError(poolError('InternalErrorException')).expected).toBe(false);
    expect(mapPoolError(new TypeError('x')).expected).toBe(false);
    expect(mapPoolError(poolError('CodeMismatchException')).expected).toBe(true);
  });

  it('only listed codes pass isFormError, and every one is translated in every locale', () => {
    expect(isFormError('wrong_code')).toBe(true);
    expect(isFormError('<script>')).toBe(false);
    expect(isFormError('form.wrong_code')).toBe(false);
    for (const locale of locales) {
      const { t } = translator(locale, 'hosted');
      for (const code of FORM_ERRORS) expect(t(`form.${code}`), `${locale} form.${code}`).not.toBe(`form.${code}`);
    }
  });
});

describe('routing', () => {
  const q = (s = '') => new URLSearchParams(s);
  it('rewrites form POSTs of every step page to its handler', () => {
    expect(hostedRewriteTarget('POST', '/login', q('tx=a'))).toBe('/api/hosted/login');
    expect(hostedRewriteTarget('POST', '/mfa', q())).toBe('/api/hosted/mfa');
    expect(hostedRewriteTarget('POST', '/mfa/select', q())).toBe('/api/hosted/mfa-select');
    expect(hostedRewriteTarget('POST', '/mfa/setup', q())).toBe('/api/hosted/mfa-setup');
    expect(hostedRewriteTarget('POST', '/new-password', q())).toBe('/api/hosted/new-password');
  });
  it('sends GET /login without a transaction to the authorization endpoint, and leaves the pages alone', () => {
    expect(hostedRewriteTarget('GET', '/login', q('client_id=x'))).toBe('/api/hosted/authorize');
    expect(hostedRewriteTarget('GET', '/login', q())).toBe('/api/hosted/authorize');
    expect(hostedRewriteTarget('GET', '/login', q('tx=abc'))).toBeUndefined();
    expect(hostedRewriteTarget('GET', '/mfa', q())).toBeUndefined();
    expect(hostedRewriteTarget('POST', '/error', q())).toBeUndefined();
    expect(hostedRewriteTarget('POST', '/oauth2/authorize', q())).toBeUndefined();
  });
  it('step URLs carry tx and the language hints only', () => {
    expect(stepUrl('/mfa', 'T', { lang: 'es', uiLocales: 'ar en' }, { error: 'wrong_code' })).toBe('/mfa?tx=T&lang=es&ui_locales=ar+en&error=wrong_code');
    expect(stepUrl('/login', 'T', {})).toBe('/login?tx=T');
    expect(errorPageUrl('expired', { uiLocales: 'ar' })).toBe('/error?error=expired&ui_locales=ar');
    expect(STEP_PATH.SMS_MFA).toBe('/mfa');
    expect(isHostedPage('/mfa/setup')).toBe(true);
    expect(isHostedPage('/')).toBe(false);
  });
});

describe('TOTP enrolment', () => {
  it('names the pool as issuer and the user in the label; authenticator libraries parse it back', () => {
    const uri = otpauthUri('My Pool', 'ana@example.com', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(uri).toBe('otpauth://totp/My%20Pool:ana%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=My%20Pool&algorithm=SHA1&digits=6&period=30');
    const parsed = URI.parse(uri);
    expect(parsed.issuer).toBe('My Pool');
    expect(parsed.label).toBe('ana@example.com');
    expect(parsed.secret.base32).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });
  it('draws the QR code as an inline SVG data URL', async () => {
    const url = await qrDataUrl('otpauth://totp/x:y?secret=AAAA');
    expect(url).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(url.split(',')[1]!, 'base64').toString('utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });
});

describe('inputs and flows', () => {
  it('asks for attributes with their standard autocomplete tokens', () => {
    expect(attributeInput('email')).toMatchObject({ type: 'email', autoComplete: 'email', labelKey: 'attr.email' });
    expect(attributeInput('phone_number')).toMatchObject({ type: 'tel', autoComplete: 'tel' });
    expect(attributeInput('given_name')).toMatchObject({ autoComplete: 'given-name' });
    expect(attributeInput('birthdate')).toMatchObject({ type: 'date', autoComplete: 'bday' });
    expect(attributeInput('custom:team')).toEqual({ type: 'text', dir: 'auto' });
    for (const locale of locales) {
      const { t } = translator(locale, 'hosted');
      for (const name of ['email', 'phone_number', 'name', 'given_name', 'family_name', 'birthdate', 'address', 'website']) {
        expect(t(attributeInput(name).labelKey!)).not.toBe(`attr.${name}`);
      }
    }
  });
  it('uses SRP unless the client allows only USER_PASSWORD_AUTH', () => {
    expect(passwordFlowOf({})).toBe('srp');
    expect(passwordFlowOf({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH'] })).toBe('srp');
    expect(passwordFlowOf({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).toBe('password');
    expect(passwordFlowOf({ ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH'] })).toBe('srp');
    expect(passwordFlowOf({ ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).toBeUndefined();
  });
  it('accepts codes typed with spaces or dashes', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('123-456')).toBe('123456');
    expect(normaliseCode(null)).toBe('');
  });
});

describe('CSRF token', () => {
  const rt = { box: createSecretBox('k'.repeat(43)) } as HostedRuntime;
  it('is bound to the browser and the transaction', () => {
    const token = csrfToken(rt, 'browser-a', 'tx-1');
    expect(csrfValid(rt, 'browser-a', 'tx-1', token)).toBe(true);
    expect(csrfValid(rt, 'browser-b', 'tx-1', token)).toBe(false);
    expect(csrfValid(rt, 'browser-a', 'tx-2', token)).toBe(false);
    expect(csrfValid(rt, undefined, 'tx-1', token)).toBe(false);
    expect(csrfValid(rt, 'browser-a', 'tx-1', '')).toBe(false);
    expect(csrfValid(rt, 'browser-a', 'tx-1', null)).toBe(false);
  });
});
