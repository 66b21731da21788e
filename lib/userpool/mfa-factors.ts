import type { PoolRecord } from './pools';
import type { UserRecord } from './users';

/**
 * Which second factors a pool offers and a user has turned on (reference §3.4 "MFA order", §6).
 *
 * The pool's factor settings from SetUserPoolMfaConfig (SoftwareTokenMfaConfiguration,
 * SmsMfaConfiguration, EmailMfaConfiguration) are kept beside the UserPoolType document. When
 * SoftwareTokenMfaConfiguration was never set, TOTP counts as enabled whenever MfaConfiguration is ON
 * or OPTIONAL (what a pool created with MFA but no factor settings most plausibly wants).
 */
export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
export type MfaMode = 'OFF' | 'ON' | 'OPTIONAL';

interface MfaPoolSettings {
  SoftwareTokenMfaConfiguration?: { Enabled?: boolean };
  SmsMfaConfiguration?: Record<string, unknown>;
  EmailMfaConfiguration?: { Message?: string; Subject?: string };
}

function settings(pool: PoolRecord): MfaPoolSettings {
  return pool.config as MfaPoolSettings;
}

export function mfaMode(pool: PoolRecord): MfaMode {
  const m = pool.config.MfaConfiguration;
  return m === 'ON' || m === 'OPTIONAL' ? m : 'OFF';
}

export function totpAllowed(pool: PoolRecord): boolean {
  if (mfaMode(pool) === 'OFF') return false;
  return settings(pool).SoftwareTokenMfaConfiguration?.Enabled ?? true;
}

/** SMS MFA needs the pool's SMS settings (messages go to the outbox; no SNS role is used). */
export function smsAllowed(pool: PoolRecord): boolean {
  if (mfaMode(pool) === 'OFF') return false;
  return settings(pool).SmsMfaConfiguration !== undefined || pool.config.SmsConfiguration !== undefined;
}

export function emailAllowed(pool: PoolRecord): boolean {
  if (mfaMode(pool) === 'OFF') return false;
  return settings(pool).EmailMfaConfiguration !== undefined;
}

export function factorAllowed(pool: PoolRecord, factor: MfaFactor): boolean {
  return factor === 'SOFTWARE_TOKEN_MFA' ? totpAllowed(pool) : factor === 'SMS_MFA' ? smsAllowed(pool) : emailAllowed(pool);
}

/** Factors the user turned on and can use now (a destination or a verified token exists). */
export function userFactors(pool: PoolRecord, user: UserRecord): MfaFactor[] {
  const out: MfaFactor[] = [];
  if (user.mfa.sms && user.attributes['phone_number'] && smsAllowed(pool)) out.push('SMS_MFA');
  if (user.mfa.totp && user.totpSecretEnc && totpAllowed(pool)) out.push('SOFTWARE_TOKEN_MFA');
  if (user.mfa.email && user.attributes['email'] && emailAllowed(pool)) out.push('EMAIL_OTP');
  return out;
}

/** What MFA_SETUP offers (MFAS_CAN_SETUP). */
export function setupFactors(pool: PoolRecord): MfaFactor[] {
  const out: MfaFactor[] = [];
  if (smsAllowed(pool)) out.push('SMS_MFA');
  if (totpAllowed(pool)) out.push('SOFTWARE_TOKEN_MFA');
  if (emailAllowed(pool)) out.push('EMAIL_OTP');
  return out;
}

export type MfaStep = { kind: 'none' } | { kind: 'challenge'; factor: MfaFactor } | { kind: 'select'; factors: MfaFactor[] } | { kind: 'setup'; factors: MfaFactor[] };

/** The step after a correct password: no MFA, one factor's challenge, a choice, or setup. */
export function nextMfaStep(pool: PoolRecord, user: UserRecord): MfaStep {
  const mode = mfaMode(pool);
  if (mode === 'OFF') return { kind: 'none' };
  const factors = userFactors(pool, user);
  if (factors.length === 0) {
    if (mode === 'ON') return { kind: 'setup', factors: setupFactors(pool) };
    return { kind: 'none' };
  }
  if (user.mfa.preferred && factors.includes(user.mfa.preferred)) return { kind: 'challenge', factor: user.mfa.preferred };
  if (factors.length === 1) return { kind: 'challenge', factor: factors[0]! };
  return { kind: 'select', factors };
}
