import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { readDomainsFile } from '../domains/seed';
import type { Domain } from '../domains/store';
import { readThemesFile, type ThemeSeed } from '../branding/seed';
import { readAwsSettings, type AwsSettings } from './aws';

/**
 * The one place that reads process.env. Every setting is validated here so a bad value stops start-up
 * with a message that names it, instead of failing later in the middle of a sign-in.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const urlNoTrailingSlash = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PORTICO_URL: urlNoTrailingSlash.optional().or(z.literal('').transform(() => undefined)),
  PORTICO_DATA: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for the embedded SQLite file)')
      .optional(),
  ),
  PORTICO_ADMIN_KEY_ID: optionalString.pipe(z.string().regex(/^[A-Z0-9]{16,128}$/, 'must be 16–128 upper-case letters or digits, like an AWS access key id').optional()),
  PORTICO_ADMIN_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  PORTICO_SECRET_KEY: optionalString.pipe(z.string().min(32, 'must be at least 32 characters (e.g. 32 random bytes as base64)').optional()),
  PORTICO_POOL_ENDPOINT: optionalString.pipe(urlNoTrailingSlash.optional()),
  PORTICO_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like an AWS region, e.g. us-east-1')
    .default('us-east-1'),
  PORTICO_DEMO: z.enum(['on', 'off']).default('on'),
  PORTICO_SESSION_TTL: z.coerce.number().int().min(60, 'must be at least 60 seconds').max(30 * 86400, 'must be at most 30 days').default(3600),
  PORTICO_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  PORTICO_CRYPTO_THREADS: optionalString.pipe(z.coerce.number<string | undefined>().int('must be a whole number').min(0).max(64).optional()),
  // Applied by scripts/server-args.mjs when the process starts (V8 takes it only as a flag); checked here.
  PORTICO_HEAP_MB: optionalString.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number')
      .refine((mb) => mb === 0 || mb >= 96, 'must be 0 (Node\'s default) or at least 96')
      .refine((mb) => mb <= 65536, 'must be at most 65536')
      .optional(),
  ),
  PORTICO_SMTP_URL: optionalString.pipe(
    z.string().url().refine((u) => /^smtps?:\/\//.test(u), 'must be an smtp:// or smtps:// URL').optional(),
  ),
  PORTICO_SMTP_FROM: optionalString.pipe(z.string().min(3).default('Portico <no-reply@localhost>')),
  PORTICO_SMS_WEBHOOK_URL: optionalString.pipe(urlNoTrailingSlash.optional()),
  PORTICO_SNS_REGION: optionalString.pipe(
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like an AWS region, e.g. us-east-1').optional(),
  ),
  PORTICO_SNS_ENDPOINT: optionalString.pipe(urlNoTrailingSlash.optional()),
  PORTICO_TRUSTED_PROXIES: optionalString.pipe(
    z
      .string()
      .refine((v) => v.split(',').every((a) => isIP(a.trim()) !== 0), 'must be a comma-separated list of IP addresses')
      .optional(),
  ),
  PORTICO_CODES_PER_RECIPIENT_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
  PORTICO_CODES_PER_IP_HOUR: z.coerce.number().int().min(1).max(100000).default(30),
  PORTICO_RESEND_COOLDOWN: z.coerce.number().int().min(0).max(3600).default(60),
  PORTICO_DOMAINS_FILE: optionalString,
  PORTICO_THEMES_FILE: optionalString,
  NODE_ENV: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Settings {
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  adminKeyId?: string;
  adminSecret?: string;
  secretKey?: string;
  poolEndpoint?: string;
  region: string;
  demo: boolean;
  logLevel: Env['PORTICO_LOG_LEVEL'];
  /** Lifetime of the hosted SSO session in seconds (Cognito's is a fixed hour). */
  sessionTtl: number;
  /** Worker threads for SRP's modular exponentiation and RS256 signatures (lib/crypto/crypto-pool); 0 = on the calling thread; unset = by CPU count. */
  cryptoThreads?: number;
  /** SMTP server for emails (lib/delivery); unset = emails stay in the outbox. */
  smtpUrl?: string;
  smtpFrom: string;
  /** Where SMS messages are POSTed (lib/delivery/sms-webhook); unset = SMS stay in the outbox. */
  smsWebhookUrl?: string;
  /** Amazon SNS for SMS (lib/delivery/sns): its region (credentials from the AWS provider chain), and an endpoint override. */
  snsRegion?: string;
  snsEndpoint?: string;
  /** Peers whose X-Forwarded-For is believed (lib/security/client-ip). */
  trustedProxies: ReadonlySet<string>;
  /** Caps on codes sent (against SMS pumping and mail flooding): per destination and per client IP, per hour. */
  codesPerRecipientHour: number;
  codesPerIpHour: number;
  /** Seconds before "send a new code" works again on the confirmation page. */
  resendCooldown: number;
  /** Custom domains from PORTICO_DOMAINS_FILE (lib/domains/seed), written to the database at start. */
  domains: Domain[];
  /** Pool and client themes from PORTICO_THEMES_FILE (lib/branding/seed), written to the database at start. */
  themes: ThemeSeed[];
  /** AWS mode (lib/config/aws): real Cognito pools; unset = the embedded pool. */
  aws?: AwsSettings;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses an environment map; throws ConfigError naming every bad setting. */
export function parseSettings(source: Record<string, string | undefined>): Settings {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  let domains: Domain[] = [];
  if (env.PORTICO_DOMAINS_FILE !== undefined) {
    const read = readDomainsFile(path.resolve(env.PORTICO_DOMAINS_FILE));
    if ('error' in read) throw new ConfigError(`Invalid configuration:\n  PORTICO_DOMAINS_FILE: ${read.error}`);
    domains = read.domains;
  }
  let themes: ThemeSeed[] = [];
  if (env.PORTICO_THEMES_FILE !== undefined) {
    const read = readThemesFile(path.resolve(env.PORTICO_THEMES_FILE));
    if ('error' in read) throw new ConfigError(`Invalid configuration:\n  PORTICO_THEMES_FILE: ${read.error}`);
    themes = read.themes;
  }
  const aws = readAwsSettings(source);
  if ('error' in aws) throw new ConfigError(`Invalid configuration:\n  ${aws.error}`);
  if ((env.PORTICO_ADMIN_KEY_ID === undefined) !== (env.PORTICO_ADMIN_SECRET === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  PORTICO_ADMIN_KEY_ID / PORTICO_ADMIN_SECRET: set both or neither',
    );
  }
  return {
    port: env.PORT,
    publicUrl: env.PORTICO_URL ?? `http://localhost:${env.PORT}`,
    // Absolute, because the standalone server changes directory (stack-notes G12).
    dataDir: path.resolve(env.PORTICO_DATA),
    databaseUrl: env.DATABASE_URL,
    adminKeyId: env.PORTICO_ADMIN_KEY_ID,
    adminSecret: env.PORTICO_ADMIN_SECRET,
    secretKey: env.PORTICO_SECRET_KEY,
    poolEndpoint: env.PORTICO_POOL_ENDPOINT,
    region: env.PORTICO_REGION,
    // The demo lives in the embedded pool, which the hosted front does not serve in AWS mode.
    demo: env.PORTICO_DEMO === 'on' && aws.aws === undefined,
    logLevel: env.PORTICO_LOG_LEVEL,
    sessionTtl: env.PORTICO_SESSION_TTL,
    cryptoThreads: env.PORTICO_CRYPTO_THREADS,
    smtpUrl: env.PORTICO_SMTP_URL,
    smtpFrom: env.PORTICO_SMTP_FROM,
    smsWebhookUrl: env.PORTICO_SMS_WEBHOOK_URL,
    snsRegion: env.PORTICO_SNS_REGION,
    snsEndpoint: env.PORTICO_SNS_ENDPOINT,
    trustedProxies: new Set((env.PORTICO_TRUSTED_PROXIES ?? '').split(',').map((a) => a.trim()).filter(Boolean)),
    codesPerRecipientHour: env.PORTICO_CODES_PER_RECIPIENT_HOUR,
    codesPerIpHour: env.PORTICO_CODES_PER_IP_HOUR,
    resendCooldown: env.PORTICO_RESEND_COOLDOWN,
    domains,
    themes,
    ...(aws.aws ? { aws: aws.aws } : {}),
  };
}

let cached: Settings | undefined;

export function settings(): Settings {
  cached ??= parseSettings(process.env);
  return cached;
}
