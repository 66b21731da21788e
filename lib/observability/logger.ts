import pino, { type Logger } from 'pino';
import { settings } from '../config/env';
import { currentRequest } from './context';

/**
 * Portico's structured log: one JSON object a line on stdout (pino), with the request id of the
 * request being served. Secrets never belong in a log call; the redaction below is the second line
 * of defence for the field names they travel under (Cognito's and OAuth's), at the top level and two
 * levels down. Kept on globalThis so Next's bundles and the server write through one stream.
 */
// Compared case-insensitively (Password, PASSWORD, password are one entry).
const SECRET_FIELDS = [
  'password', 'PreviousPassword', 'ProposedPassword', 'NEW_PASSWORD', 'PASSWORD_CLAIM_SIGNATURE',
  'code', 'ConfirmationCode', 'UserCode', 'SOFTWARE_TOKEN_MFA_CODE', 'SMS_MFA_CODE', 'EMAIL_OTP_CODE', 'code_verifier',
  'token', 'AccessToken', 'RefreshToken', 'IdToken', 'access_token', 'refresh_token', 'id_token',
  'secret', 'SecretCode', 'ClientSecret', 'client_secret', 'SecretHash', 'SECRET_HASH',
  'session', 'authorization', 'cookie', 'set-cookie',
];

const SECRET_KEYS = new Set(SECRET_FIELDS.map((f) => f.toLowerCase()));
const CENSOR = '[redacted]';

/**
 * Replaces secret-named fields down to two levels, case-insensitively, copying only what changes. pino's
 * own wildcard redaction costs ~27 µs a line with this many names, ten times the line itself; this walk
 * costs well under a microsecond for the small objects Portico logs.
 */
export function scrub(value: unknown, depth = 0): unknown {
  if (depth > 2 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const v = record[key];
    const next = SECRET_KEYS.has(key.toLowerCase()) ? CENSOR : scrub(v, depth + 1);
    if (next !== v) {
      out ??= { ...record };
      out[key] = next;
    }
  }
  return out ?? value;
}

const KEY = Symbol.for('portico.logger');
type Holder = { [KEY]?: Logger };

function level(): string {
  try {
    return settings().logLevel;
  } catch {
    // A bad configuration is reported by start-up itself; logging it needs a logger.
    return 'info';
  }
}

export function createLogger(destination?: pino.DestinationStream, logLevel = level()): Logger {
  return pino(
    {
      level: logLevel,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (obj) => scrub(obj) as Record<string, unknown> },
      mixin() {
        const ctx = currentRequest();
        return ctx ? { requestId: ctx.requestId } : {};
      },
    },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

export function logger(): Logger {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= createLogger());
}

/** An error's class and message for a log line; never its stack or the request that caused it. */
export function errorFields(e: unknown): { error?: string; message?: string } {
  const err = e as { name?: unknown; message?: unknown } | undefined;
  return {
    error: typeof err?.name === 'string' ? err.name : undefined,
    message: typeof err?.message === 'string' ? err.message : undefined,
  };
}
