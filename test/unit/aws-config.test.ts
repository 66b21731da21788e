import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirs } from '../helpers/scratch-dirs';
import { ConfigError, parseSettings } from '../../lib/config/env';
import { poolIssuer } from '../../lib/config/aws';
import { createPoolClient, IN_PROCESS_SKIPPED, withFastConfig } from '../../lib/pool-client/client';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { WireLike } from '../../lib/pool-client/transport';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import v8 from 'node:v8';

/** AWS mode's settings: what selects it, what it reads, and start-up errors that name the setting. */
const base = { PORTICO_DATA: '/tmp/portico-unused' };
const aws = { ...base, PORTICO_AWS_REGION: 'eu-west-1', PORTICO_AWS_POOL_IDS: 'eu-west-1_AbC123, eu-west-1_Xyz789,eu-west-1_AbC123' };

function refusal(env: Record<string, string>): string {
  try {
    parseSettings(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

const scratchDir = scratchDirs('portico-aws-');

function secretsFile(content: string): string {
  const file = path.join(scratchDir(), 'secrets.json');
  fs.writeFileSync(file, content);
  return file;
}

describe('AWS mode settings', () => {
  it('is off without PORTICO_AWS_*: the embedded pool and its demo', () => {
    const s = parseSettings(base);
    expect(s.aws).toBeUndefined();
    expect(s.demo).toBe(true);
  });

  it('region and pool ids select it; the list is trimmed and deduplicated; no demo', () => {
    const s = parseSettings(aws);
    expect(s.aws).toMatchObject({ region: 'eu-west-1', poolIds: ['eu-west-1_AbC123', 'eu-west-1_Xyz789'] });
    expect(s.aws!.clientSecrets.size).toBe(0);
    expect(s.demo).toBe(false);
  });

  it('reads client secrets from the file and PORTICO_CLIENT_SECRET_<clientId>, the environment winning', () => {
    const file = secretsFile(JSON.stringify({ client1: 'fileSecret1', client2: 'fileSecret2' }));
    const s = parseSettings({ ...aws, PORTICO_AWS_CLIENT_SECRETS_FILE: file, PORTICO_CLIENT_SECRET_client2: 'envSecret2', PORTICO_CLIENT_SECRET_client3: 'envSecret3' });
    expect(Object.fromEntries(s.aws!.clientSecrets)).toEqual({ client1: 'fileSecret1', client2: 'envSecret2', client3: 'envSecret3' });
  });

  it.each([
    [{ ...base, PORTICO_AWS_REGION: 'us-east-1' }, 'PORTICO_AWS_REGION / PORTICO_AWS_POOL_IDS: set both or neither'],
    [{ ...base, PORTICO_AWS_POOL_IDS: 'us-east-1_A' }, 'PORTICO_AWS_REGION / PORTICO_AWS_POOL_IDS: set both or neither'],
    [{ ...aws, PORTICO_AWS_REGION: 'Europe' }, 'PORTICO_AWS_REGION: must look like an AWS region'],
    [{ ...aws, PORTICO_AWS_POOL_IDS: 'eu-west-1_Ok1,not-a-pool' }, 'PORTICO_AWS_POOL_IDS: not-a-pool is not a user pool id'],
    [{ ...aws, PORTICO_AWS_POOL_IDS: 'us-east-1_Abc' }, 'PORTICO_AWS_POOL_IDS: us-east-1_Abc is not in PORTICO_AWS_REGION (eu-west-1)'],
    [{ ...aws, PORTICO_AWS_POOL_IDS: ' , ' }, 'PORTICO_AWS_POOL_IDS: must list at least one user pool id'],
    [{ ...base, PORTICO_CLIENT_SECRET_abc: 'secret' }, 'PORTICO_CLIENT_SECRET_abc: only used with PORTICO_AWS_REGION and PORTICO_AWS_POOL_IDS'],
    [{ ...base, PORTICO_AWS_CLIENT_SECRETS_FILE: '/x.json' }, 'PORTICO_AWS_CLIENT_SECRETS_FILE: only used with'],
    [{ ...aws, 'PORTICO_CLIENT_SECRET_a-b': 'secret' }, 'PORTICO_CLIENT_SECRET_a-b: the part after PORTICO_CLIENT_SECRET_ must be an app client id'],
    [{ ...aws, PORTICO_CLIENT_SECRET_abc: 'has space' }, 'PORTICO_CLIENT_SECRET_abc: must be an app client secret'],
    [{ ...aws, PORTICO_AWS_CLIENT_SECRETS_FILE: '/nonexistent/secrets.json' }, 'PORTICO_AWS_CLIENT_SECRETS_FILE: cannot read /nonexistent/secrets.json (ENOENT)'],
  ])('refuses %j', (env, message) => {
    expect(refusal(env as Record<string, string>)).toContain(message);
  });

  it('refuses a secrets file that is not JSON or not client id → secret, without echoing a secret', () => {
    expect(refusal({ ...aws, PORTICO_AWS_CLIENT_SECRETS_FILE: secretsFile('{') })).toMatch(/PORTICO_AWS_CLIENT_SECRETS_FILE: .* is not valid JSON/);
    const message = refusal({ ...aws, PORTICO_AWS_CLIENT_SECRETS_FILE: secretsFile(JSON.stringify({ good: 'bad secret value' })) });
    expect(message).toContain('PORTICO_AWS_CLIENT_SECRETS_FILE: good: must be an app client secret');
    expect(message).not.toContain('bad secret value');
  });

  it("the pool's issuer is Cognito's, or the endpoint that stands in for it", () => {
    expect(poolIssuer({ region: 'eu-west-1' }, undefined, 'eu-west-1_A')).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_A');
    expect(poolIssuer({ region: 'eu-west-1' }, 'http://127.0.0.1:9', 'eu-west-1_A')).toBe('http://127.0.0.1:9/eu-west-1_A');
  });

  it("a pool client without an endpoint or engine goes to the region's Cognito endpoint", async () => {
    const c = createPoolClient({ region: 'eu-west-1', publicUrl: 'http://localhost:3000' });
    const endpoint = await c.config.endpoint?.();
    // No explicit endpoint: the SDK resolves Cognito's own per request.
    expect(endpoint).toBeUndefined();
    expect(await c.config.region()).toBe('eu-west-1');
    const steps = c.middlewareStack.identify().join('\n');
    // Toward AWS the SDK keeps every step, its user agent included.
    for (const name of IN_PROCESS_SKIPPED) expect(steps).toContain(name);
    c.destroy();
  });

  it('the in-process client skips network-only steps and still sends a signed request the engine can parse', async () => {
    const seen: { headers: Record<string, string>; body: string }[] = [];
    const wire: WireLike = async (req) => {
      seen.push({ headers: req.headers, body: req.body });
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { SALT: 'ab' } }) };
    };
    const c = createPoolClient({ region: 'us-east-1', publicUrl: 'http://localhost:3000', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, wire: async () => wire });
    const steps = c.middlewareStack.identify().join('\n');
    for (const name of IN_PROCESS_SKIPPED) expect(steps).not.toContain(name);
    const out = await c.send(new InitiateAuthCommand({ ClientId: 'c', AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'u', SRP_A: 'ab' } }));
    expect(out.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(out.ChallengeParameters).toEqual({ SALT: 'ab' });
    expect(seen[0]!.headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ ClientId: 'c', AuthFlow: 'USER_SRP_AUTH' });
    expect(seen[0]!.headers['x-amz-user-agent']).toBeUndefined();
    c.destroy();
  });

  it("both pool clients hold the SDK's configuration with fast properties, values unchanged", async () => {
    // V8's own check, enabled for this test: the SDK spreads this object several times per call.
    v8.setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
    const plain = new CognitoIdentityProviderClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
    // What the SDK builds on its own: dictionary mode (if it ever stops, this test says so).
    expect(hasFastProperties(plain.config)).toBe(false);
    const before = Object.entries(Object.getOwnPropertyDescriptors(plain.config));
    expect(withFastConfig(plain)).toBe(plain);
    expect(hasFastProperties(plain.config)).toBe(true);
    expect(Object.entries(Object.getOwnPropertyDescriptors(plain.config))).toEqual(before);
    const wire: WireLike = async () => ({ status: 200, headers: {}, body: '{}' });
    const clients = [
      createPoolClient({ region: 'eu-west-1', publicUrl: 'http://localhost:3000' }),
      createPoolClient({ region: 'eu-west-1', publicUrl: 'http://localhost:3000', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, wire: async () => wire }),
    ];
    for (const c of clients) {
      expect(hasFastProperties(c.config)).toBe(true);
      expect(await c.config.region()).toBe('eu-west-1');
      c.destroy();
    }
    v8.setFlagsFromString('--no-allow-natives-syntax');
    plain.destroy();
  });
});
