import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * AWS mode: PORTICO_AWS_REGION and PORTICO_AWS_POOL_IDS name real Amazon Cognito pools. The hosted front
 * then talks to them with the same Cognito client as ever — only its endpoint (AWS's, or
 * PORTICO_POOL_ENDPOINT) and credentials (the SDK's default provider chain) differ. App-client secrets
 * come from DescribeUserPoolClient; PORTICO_AWS_CLIENT_SECRETS_FILE and PORTICO_CLIENT_SECRET_<clientId>
 * exist for IAM policies that do not allow reading them.
 */
export interface AwsSettings {
  region: string;
  /** The pools Portico serves (ListUserPools needs broad IAM rights, so it is never called). */
  poolIds: string[];
  /** Client id → secret, configured; wins over what DescribeUserPoolClient returns. */
  clientSecrets: ReadonlyMap<string, string>;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const POOL_ID = /^([a-z]{2}(-[a-z]+)+-\d)_[0-9A-Za-z]+$/;
/** Cognito's ClientIdType and ClientSecretType patterns. */
const CLIENT_ID = /^[\w+]{1,128}$/;
const SECRET = /^[\w+]{1,64}$/;
const SECRET_PREFIX = 'PORTICO_CLIENT_SECRET_';

const SecretsFile = z.record(
  z.string().regex(CLIENT_ID, 'must be an app client id'),
  z.string().regex(SECRET, 'must be an app client secret (letters, digits, _ and +, at most 64)'),
);

type Result = { aws?: AwsSettings } | { error: string };

function readSecretsFile(file: string): { secrets: Record<string, string> } | { error: string } {
  let text: string;
  try {
    text = fs.readFileSync(/*turbopackIgnore: true*/ path.resolve(file), 'utf8');
  } catch (e) {
    return { error: `PORTICO_AWS_CLIENT_SECRETS_FILE: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `PORTICO_AWS_CLIENT_SECRETS_FILE: ${file} is not valid JSON` };
  }
  const parsed = SecretsFile.safeParse(value);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    // The path names the client id, never the secret.
    return { error: `PORTICO_AWS_CLIENT_SECRETS_FILE: ${i.path.join('.') || '(file)'}: ${i.message}` };
  }
  return { secrets: parsed.data };
}

/** Reads the AWS settings from the environment map; an error names the setting. */
export function readAwsSettings(source: Record<string, string | undefined>): Result {
  const trimmed = (name: string) => {
    const v = source[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const region = trimmed('PORTICO_AWS_REGION');
  const poolList = trimmed('PORTICO_AWS_POOL_IDS');
  const file = trimmed('PORTICO_AWS_CLIENT_SECRETS_FILE');
  const secretVars = Object.keys(source).filter((k) => k.startsWith(SECRET_PREFIX) && trimmed(k) !== undefined);

  if (region === undefined && poolList === undefined) {
    if (file !== undefined) return { error: 'PORTICO_AWS_CLIENT_SECRETS_FILE: only used with PORTICO_AWS_REGION and PORTICO_AWS_POOL_IDS' };
    if (secretVars.length > 0) return { error: `${secretVars[0]}: only used with PORTICO_AWS_REGION and PORTICO_AWS_POOL_IDS` };
    return {};
  }
  if (region === undefined || poolList === undefined) return { error: 'PORTICO_AWS_REGION / PORTICO_AWS_POOL_IDS: set both or neither' };
  if (!REGION.test(region)) return { error: 'PORTICO_AWS_REGION: must look like an AWS region, e.g. us-east-1' };

  const poolIds = [...new Set(poolList.split(',').map((p) => p.trim()).filter(Boolean))];
  if (poolIds.length === 0) return { error: 'PORTICO_AWS_POOL_IDS: must list at least one user pool id' };
  for (const id of poolIds) {
    const m = POOL_ID.exec(id);
    if (!m) return { error: `PORTICO_AWS_POOL_IDS: ${id} is not a user pool id (<region>_<id>)` };
    if (m[1] !== region) return { error: `PORTICO_AWS_POOL_IDS: ${id} is not in PORTICO_AWS_REGION (${region})` };
  }

  const clientSecrets = new Map<string, string>();
  if (file !== undefined) {
    const read = readSecretsFile(file);
    if ('error' in read) return read;
    for (const [id, secret] of Object.entries(read.secrets)) clientSecrets.set(id, secret);
  }
  // The environment wins over the file: a one-off override needs no file edit.
  for (const name of secretVars) {
    const clientId = name.slice(SECRET_PREFIX.length);
    if (!CLIENT_ID.test(clientId)) return { error: `${name}: the part after ${SECRET_PREFIX} must be an app client id` };
    const secret = trimmed(name)!;
    if (!SECRET.test(secret)) return { error: `${name}: must be an app client secret (letters, digits, _ and +, at most 64)` };
    clientSecrets.set(clientId, secret);
  }
  return { aws: { region, poolIds, clientSecrets } };
}

/** The issuer of a real pool's tokens: Cognito's, or PORTICO_POOL_ENDPOINT's when that stands in for it. */
export function poolIssuer(aws: Pick<AwsSettings, 'region'>, endpoint: string | undefined, poolId: string): string {
  return `${endpoint ?? `https://cognito-idp.${aws.region}.amazonaws.com`}/${poolId}`;
}
