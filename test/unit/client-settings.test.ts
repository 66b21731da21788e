import { describe, expect, it } from 'vitest';
import { buildClientConfig, redirectUrlProblem } from '../../lib/userpool/client-settings';
import { createPoolConfig } from '../../lib/userpool/pool-defaults';
import type { PoolRecord } from '../../lib/userpool/pools';
import { CognitoError } from '../../lib/userpool/errors';

const pool: PoolRecord = {
  id: 'us-east-1_unit00000',
  name: 'unit',
  srpName: 'unit00000',
  config: createPoolConfig({ PoolName: 'unit', Schema: [{ Name: 'plan', AttributeDataType: 'String' }] }),
  createdAt: 0,
  updatedAt: 0,
};
const build = (input: Parameters<typeof buildClientConfig>[1], hasSecret = false) =>
  buildClientConfig(pool, input, { hasSecret, scopes: new Set(['api/read']), creating: true });

function thrown(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (e) {
    const err = e as CognitoError;
    return { type: err.type, message: err.message };
  }
  throw new Error('expected an error');
}

describe('redirectUrlProblem', () => {
  it('accepts https, loopback http and app schemes', () => {
    for (const url of ['https://app.example.com/cb', 'http://localhost:3000/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/', 'myapp://callback']) {
      expect(redirectUrlProblem(url)).toBeUndefined();
    }
  });
  it('refuses plain http elsewhere, fragments, relative and script URLs', () => {
    expect(redirectUrlProblem('http://app.example.com/cb')).toBe('must use HTTPS unless it points at localhost');
    expect(redirectUrlProblem('https://app.example.com/cb#x')).toBe('must not contain a fragment');
    expect(redirectUrlProblem('/cb')).toBe('is not an absolute URL');
    expect(redirectUrlProblem('javascript:alert(1)')).toBe('must not use the javascript scheme');
  });
});

describe('buildClientConfig', () => {
  it('fills in the defaults', () => {
    expect(build({})).toEqual({
      RefreshTokenValidity: 30,
      TokenValidityUnits: {},
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'LEGACY',
      EnableTokenRevocation: true,
      EnablePropagateAdditionalUserContextData: false,
      AuthSessionValidity: 3,
    });
  });

  it('checks token validity ranges in the given units', () => {
    expect(build({ AccessTokenValidity: 5, TokenValidityUnits: { AccessToken: 'minutes' } }).AccessTokenValidity).toBe(5);
    expect(thrown(() => build({ AccessTokenValidity: 4, TokenValidityUnits: { AccessToken: 'minutes' } })).type).toBe('InvalidParameterException');
    expect(thrown(() => build({ IdTokenValidity: 25 })).type).toBe('InvalidParameterException');
    expect(thrown(() => build({ RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: 'minutes' } })).type).toBe('InvalidParameterException');
    expect(thrown(() => build({ RefreshTokenValidity: 3651 })).type).toBe('InvalidParameterException');
    expect(build({ RefreshTokenValidity: 0 }).RefreshTokenValidity).toBe(30);
  });

  it('refuses mixing legacy and ALLOW_ auth flows', () => {
    expect(thrown(() => build({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).type).toBe('InvalidParameterException');
    expect(build({ ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH'] }).ExplicitAuthFlows).toEqual(['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH']);
  });

  it('applies the OAuth rules', () => {
    const oauth = { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code' as const], AllowedOAuthScopes: ['openid', 'api/read'], CallbackURLs: ['https://a.example/cb'] };
    expect(build(oauth).AllowedOAuthScopes).toEqual(['openid', 'api/read']);
    expect(thrown(() => build({ ...oauth, AllowedOAuthScopes: ['api/write'] }))).toEqual({
      type: 'ScopeDoesNotExistException',
      message: 'Invalid scope requested: api/write',
    });
    expect(thrown(() => build({ ...oauth, DefaultRedirectURI: 'https://b.example/cb' })).type).toBe('InvalidParameterException');
    expect(thrown(() => build({ AllowedOAuthFlowsUserPoolClient: true })).type).toBe('InvalidParameterException');
    const cc = { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials' as const], AllowedOAuthScopes: ['api/read'] };
    expect(build(cc, true).AllowedOAuthFlows).toEqual(['client_credentials']);
    expect(thrown(() => build(cc, false)).type).toBe('InvalidOAuthFlowException');
    expect(thrown(() => build({ ...cc, AllowedOAuthFlows: ['client_credentials', 'code'] }, true)).type).toBe('InvalidOAuthFlowException');
    expect(thrown(() => build({ ...cc, AllowedOAuthScopes: ['openid', 'api/read'] }, true)).type).toBe('InvalidOAuthFlowException');
  });

  it('checks read and write attributes against the schema', () => {
    expect(build({ ReadAttributes: ['email', 'custom:plan'], WriteAttributes: ['custom:plan'] }).ReadAttributes).toEqual(['email', 'custom:plan']);
    expect(thrown(() => build({ ReadAttributes: ['custom:nope'] }))).toEqual({
      type: 'InvalidParameterException',
      message: 'Invalid read attributes specified while creating a client',
    });
    expect(thrown(() => build({ WriteAttributes: ['sub'] })).message).toBe('Invalid write attributes specified while creating a client');
  });
});
