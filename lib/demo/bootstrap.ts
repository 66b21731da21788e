import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import type {
  AdminCreateUserRequest,
  AdminGetUserRequest,
  AdminSetUserPasswordRequest,
  CreateUserPoolClientRequest,
  CreateUserPoolClientResponse,
  CreateUserPoolRequest,
  CreateUserPoolResponse,
  DescribeUserPoolClientResponse,
  ListUserPoolClientsResponse,
  ListUserPoolsResponse,
  SetUserPoolMfaConfigRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Engine } from '../userpool/engine';
import { CognitoError } from '../userpool/errors';

/**
 * The demo a newcomer signs in with: a pool, a confidential app client for the `/demo` relying party and
 * a confirmed user, created through the engine's own operations on the first start.
 *
 * Safe to run on every start and from several processes at once: a lock row in `kv` lets one process do
 * the work, each step finds what an interrupted earlier run left behind, the finished details are kept
 * (sealed) in `kv`, and `demo.json` is written last, atomically, so its presence means the demo is done.
 */
export const DEMO_POOL_NAME = 'Portico demo';
export const DEMO_CLIENT_NAME = 'Portico demo app';
export const DEMO_USERNAME = 'demo';
export const DEMO_EMAIL = 'demo@example.com';

const DETAILS_KEY = 'demo:details';
const LOCK_KEY = 'demo:lock';
const SEAL_PURPOSE = 'demo-details';
const LOCK_TTL_MS = 120_000;

export interface DemoDetails {
  porticoUrl: string;
  demoUrl: string;
  region: string;
  poolId: string;
  poolName: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  username: string;
  email: string;
  password: string;
  createdAt: string;
}

export interface DemoOptions {
  engine: Engine;
  dataDir: string;
  publicUrl: string;
  region: string;
  /** How long to wait for another process that holds the lock. */
  waitMs?: number;
  /** Generated admin credentials, written into demo.json beside the demo (never into the database). */
  admin?: { keyId: string; secret: string };
}

export interface DemoResult {
  details: DemoDetails;
  /** True when this call created the demo (rather than finding it). */
  created: boolean;
  file: string;
}

/** A password that meets any reasonable policy: 20 characters with every class present. */
export function demoPassword(): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#%^*-_=+'];
  const chars = classes.map((c) => c[randomInt(c.length)]);
  const all = classes.join('');
  while (chars.length < 20) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export function demoFile(dataDir: string): string {
  return path.join(dataDir, 'demo.json');
}

export function readDemoFile(file: string): DemoDetails | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8')) as Partial<DemoDetails> & { adminKeyId?: string; adminSecret?: string };
    if (!parsed.poolId || !parsed.clientId || !parsed.password) return undefined;
    const { adminKeyId: _id, adminSecret: _secret, ...details } = parsed;
    return details as DemoDetails;
  } catch {
    return undefined;
  }
}

/** Temp file + rename: a reader sees no file or the whole file, never half of one. */
function writeDemoFile(file: string, details: DemoDetails, admin: DemoOptions['admin']): void {
  fs.mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const content = admin ? { ...details, adminKeyId: admin.keyId, adminSecret: admin.secret } : details;
  fs.writeFileSync(/*turbopackIgnore: true*/ tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(/*turbopackIgnore: true*/ tmp, file);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readKv(engine: Engine, key: string): Promise<string | undefined> {
  const row = await engine.deps.db.selectFrom('kv').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

async function storedDetails(engine: Engine): Promise<DemoDetails | undefined> {
  const sealed = await readKv(engine, DETAILS_KEY);
  if (!sealed) return undefined;
  return JSON.parse(engine.deps.box.openText(sealed, SEAL_PURPOSE)) as DemoDetails;
}

/** Takes the lock row, or clears it when its holder died without releasing it. */
async function tryLock(engine: Engine, owner: string): Promise<boolean> {
  const now = Date.now();
  try {
    await engine.deps.db
      .insertInto('kv')
      .values({ key: LOCK_KEY, value: JSON.stringify({ owner, expires: now + LOCK_TTL_MS }) })
      .execute();
    return true;
  } catch {
    const held = await readKv(engine, LOCK_KEY);
    if (held && (JSON.parse(held) as { expires: number }).expires < now) {
      await engine.deps.db.deleteFrom('kv').where('key', '=', LOCK_KEY).where('value', '=', held).execute();
    }
    return false;
  }
}

async function unlock(engine: Engine, owner: string): Promise<void> {
  const held = await readKv(engine, LOCK_KEY);
  if (held && (JSON.parse(held) as { owner: string }).owner === owner) {
    await engine.deps.db.deleteFrom('kv').where('key', '=', LOCK_KEY).where('value', '=', held).execute();
  }
}

async function findPoolId(engine: Engine): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await engine.call<ListUserPoolsResponse>('ListUserPools', { MaxResults: 60, NextToken });
    const hit = page.UserPools?.find((p) => p.Name === DEMO_POOL_NAME);
    if (hit?.Id) return hit.Id;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

async function findClientId(engine: Engine, poolId: string): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await engine.call<ListUserPoolClientsResponse>('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60, NextToken });
    const hit = page.UserPoolClients?.find((c) => c.ClientName === DEMO_CLIENT_NAME);
    if (hit?.ClientId) return hit.ClientId;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

async function userExists(engine: Engine, poolId: string): Promise<boolean> {
  try {
    await engine.call('AdminGetUser', { UserPoolId: poolId, Username: DEMO_USERNAME } satisfies AdminGetUserRequest);
    return true;
  } catch (e) {
    if (e instanceof CognitoError && e.type === 'UserNotFoundException') return false;
    throw e;
  }
}

async function createDemo(o: DemoOptions): Promise<DemoDetails> {
  const { engine, publicUrl } = o;
  let poolId = await findPoolId(engine);
  if (!poolId) {
    const created = await engine.call<CreateUserPoolResponse>('CreateUserPool', {
      PoolName: DEMO_POOL_NAME,
      AliasAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      // A new address replaces the verified one only once its code is entered (the account page relies on it).
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    } satisfies CreateUserPoolRequest);
    poolId = created.UserPool!.Id!;
  }
  // Cognito turns on TOTP only through SetUserPoolMfaConfig; CreateUserPool cannot.
  await engine.call('SetUserPoolMfaConfig', {
    UserPoolId: poolId,
    MfaConfiguration: 'OPTIONAL',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  } satisfies SetUserPoolMfaConfigRequest);

  let clientId = await findClientId(engine, poolId);
  if (!clientId) {
    const created = await engine.call<CreateUserPoolClientResponse>('CreateUserPoolClient', {
      UserPoolId: poolId,
      ClientName: DEMO_CLIENT_NAME,
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_AUTH'],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [`${publicUrl}/demo/api/auth/callback/portico`],
      LogoutURLs: [`${publicUrl}/demo`],
      PreventUserExistenceErrors: 'ENABLED',
    } satisfies CreateUserPoolClientRequest);
    clientId = created.UserPoolClient!.ClientId!;
  }
  const described = await engine.call<DescribeUserPoolClientResponse>('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId });

  const password = demoPassword();
  if (!(await userExists(engine, poolId))) {
    await engine.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: DEMO_USERNAME,
      UserAttributes: [
        { Name: 'email', Value: DEMO_EMAIL },
        { Name: 'email_verified', Value: 'true' },
      ],
      TemporaryPassword: demoPassword(),
      MessageAction: 'SUPPRESS',
    } satisfies AdminCreateUserRequest);
  }
  // Always set: a run interrupted after AdminCreateUser left a password nobody knows.
  await engine.call('AdminSetUserPassword', {
    UserPoolId: poolId,
    Username: DEMO_USERNAME,
    Password: password,
    Permanent: true,
  } satisfies AdminSetUserPasswordRequest);

  return {
    porticoUrl: publicUrl,
    demoUrl: `${publicUrl}/demo`,
    region: o.region,
    poolId,
    poolName: DEMO_POOL_NAME,
    issuer: `${publicUrl}/${poolId}`,
    clientId,
    clientSecret: described.UserPoolClient!.ClientSecret!,
    username: DEMO_USERNAME,
    email: DEMO_EMAIL,
    password,
    createdAt: new Date().toISOString(),
  };
}

/** Finds or creates the demo and makes sure `{dataDir}/demo.json` describes it. */
export async function ensureDemo(o: DemoOptions): Promise<DemoResult> {
  const file = demoFile(o.dataDir);
  const existing = readDemoFile(file);
  if (existing) return { details: existing, created: false, file };

  const owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const deadline = Date.now() + (o.waitMs ?? LOCK_TTL_MS + 10_000);
  for (;;) {
    const stored = await storedDetails(o.engine);
    if (stored) {
      writeDemoFile(file, stored, o.admin);
      return { details: stored, created: false, file };
    }
    if (await tryLock(o.engine, owner)) {
      try {
        // Another process may have finished between our read and our lock.
        const again = await storedDetails(o.engine);
        const details = again ?? (await createDemo(o));
        if (!again) {
          await o.engine.deps.db
            .insertInto('kv')
            .values({ key: DETAILS_KEY, value: o.engine.deps.box.seal(JSON.stringify(details), SEAL_PURPOSE) })
            .execute();
        }
        writeDemoFile(file, details, o.admin);
        return { details, created: !again, file };
      } finally {
        await unlock(o.engine, owner);
      }
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for another process to create the demo');
    await sleep(200);
  }
}
