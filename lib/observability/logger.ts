import pino, { type Logger } from 'pino';
import { settings } from '../config/env';
import { currentRequest } from './context';

/**
 * Portico's structured log: one JSON object a line on stdout (pino), with the request id of the
 * request being served. Secrets never belong in a log call; the redaction below is the second line
 * of defence for the field names they travel under (Cognito's and OAuth's), at the top level and one
 * level down. Kept on globalThis so Next's bundles and the server write through one stream.
 */
const SECRET_FIELDS = [
  'password', 'Password', 'PreviousPassword', 'ProposedPassword', 'NEW_PASSWORD', 'PASSWORD',
  'code', 'Code', 'ConfirmationCode', 'UserCode', 'SOFTWARE_TOKEN_MFA_CODE', 'SMS_MFA_CODE', 'EMAIL_OTP_CODE',
  'token', 'Token', 'AccessToken', 'RefreshToken', 'IdToken', 'access_token', 'refresh_token', 'id_token',
  'secret', 'Secret', 'SecretCode', 'ClientSecret', 'client_secret', 'SecretHash', 'SECRET_HASH',
  'session', 'Session', 'authorization', 'cookie', 'set-cookie', 'code_verifier', 'PASSWORD_CLAIM_SIGNATURE',
];

const path = (f: string) => (/^[A-Za-z_]\w*$/.test(f) ? f : `["${f}"]`);
export const REDACT_PATHS = [...SECRET_FIELDS.map(path), ...SECRET_FIELDS.map((f) => `*.${path(f)}`.replace('.[', '['))];

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
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
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
