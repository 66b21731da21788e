import { describe, expect, it } from 'vitest';
import { ClientScopesError, shapeScopes, type PreTokenGenerationV2Event } from '../../lib/triggers/pre-token';

/** Portico's Pre Token Generation V2 logic as a pure function of Cognito's event and the Lambda's environment. */
function event(over: { scopes?: string[]; metadata?: Record<string, string>; response?: PreTokenGenerationV2Event['response'] } = {}): PreTokenGenerationV2Event {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_Authentication',
    region: 'us-east-1',
    userPoolId: 'us-east-1_AbC123xyz',
    userName: 'ada',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client1' },
    request: {
      userAttributes: { sub: 's-1', email: 'a@example.com', email_verified: 'true', given_name: 'Ada', phone_number: '+15555550100', 'custom:team': 'x', 'cognito:user_status': 'CONFIRMED' },
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
      scopes: over.scopes ?? ['aws.cognito.signin.user.admin'],
      ...(over.metadata ? { clientMetadata: over.metadata } : {}),
    },
    response: over.response ?? { claimsAndScopeOverrideDetails: null },
  };
}

describe('shapeScopes', () => {
  it('changes nothing without portico:scope', () => {
    expect(shapeScopes(event({ metadata: { other: 'x' } }), {}).response).toEqual({ claimsAndScopeOverrideDetails: null });
  });

  it('turns the API scope into exactly the granted scopes and suppresses unreleased attributes', () => {
    const out = shapeScopes(event({ metadata: { 'portico:scope': 'openid email email  orders/read' } }), {});
    const d = out.response.claimsAndScopeOverrideDetails!;
    expect(d.accessTokenGeneration).toEqual({ scopesToAdd: ['openid', 'email'], scopesToSuppress: ['aws.cognito.signin.user.admin'] });
    expect(d.idTokenGeneration!.claimsToSuppress).toEqual(['given_name', 'phone_number', 'custom:team']);
  });

  it('limits a client to its PORTICO_CLIENT_SCOPES entry, and keeps what the response already had', () => {
    const env = { PORTICO_CLIENT_SCOPES: JSON.stringify({ client1: ['openid', 'orders/read', 'aws.cognito.signin.user.admin'] }) };
    const prior = { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme' }, scopesToSuppress: ['x'] } } };
    const d = shapeScopes(event({ metadata: { 'portico:scope': 'openid email orders/read aws.cognito.signin.user.admin' }, response: prior }), env).response
      .claimsAndScopeOverrideDetails!;
    expect(d.accessTokenGeneration).toEqual({ claimsToAddOrOverride: { tenant: 'acme' }, scopesToAdd: ['openid', 'orders/read'], scopesToSuppress: ['x'] });
    // openid alone releases every attribute.
    expect(d.idTokenGeneration!.claimsToSuppress).toEqual([]);
  });

  it('throws on a malformed PORTICO_CLIENT_SCOPES rather than granting by mistake', () => {
    const run = (raw: string) => () => shapeScopes(event({ metadata: { 'portico:scope': 'openid' } }), { PORTICO_CLIENT_SCOPES: raw });
    expect(run('{')).toThrow(ClientScopesError);
    expect(run('[]')).toThrow(ClientScopesError);
    expect(run('{"client1":"openid"}')).toThrow(ClientScopesError);
  });
});
