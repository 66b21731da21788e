import { InitiateAuthCommand, RespondToAuthChallengeCommand, type UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { localeOf } from './locale';
import type { HostedRuntime } from './runtime';
import type { HttpIn, HttpOut } from './http';
import { saveTransaction } from './transactions';
import { openPost } from './post';
import { advance, appClientOf, clientMetadata, failStep, secretHashParams, toErrorPage, toStep } from './dialogue';
import { complete } from './complete';
import { passwordClaimAsync, startSrpAsync, type PasswordVerifierParams } from '../pool-client/srp-client';

/**
 * The password form (`POST /login`). The server runs USER_SRP_AUTH itself (the SRP client half in
 * lib/pool-client), or USER_PASSWORD_AUTH for a client that allows only that; the browser only ever
 * posts username and password to Portico.
 */
type PasswordFlow = 'srp' | 'password';

/** Cognito's defaults when ExplicitAuthFlows is unset include SRP; legacy (non-ALLOW_) lists always allowed it. */
export function passwordFlowOf(client: UserPoolClientType): PasswordFlow | undefined {
  const flows = client.ExplicitAuthFlows ?? [];
  const modern = flows.some((f) => f.startsWith('ALLOW_'));
  if (flows.length === 0 || flows.includes('ALLOW_USER_SRP_AUTH') || !modern) return 'srp';
  if (flows.includes('ALLOW_USER_PASSWORD_AUTH')) return 'password';
  return undefined;
}

export async function handleSignIn(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const opened = await openPost(rt, req, '/login');
  if (!opened.ok) return opened.out;
  const { tx, form } = opened;
  const request = tx.state.request;
  const typed = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  // Starting (again) from the password: whatever challenge was open is abandoned.
  tx.state = { request, step: 'login', typedUsername: typed || tx.state.typedUsername };
  if (!typed || !password || typed.length > 128 || password.length > 256) {
    await saveTransaction(rt, tx);
    return toStep(req, tx, 'missing_fields');
  }
  const client = await appClientOf(rt, request);
  if (!client?.ClientId) return toErrorPage(req, 'invalid_client');
  const flow = passwordFlowOf(client);
  if (!flow) {
    await saveTransaction(rt, tx);
    return toStep(req, tx, 'sign_in_unavailable');
  }
  const ClientMetadata = clientMetadata(request, localeOf(req));
  try {
    if (flow === 'password') {
      const out = await rt.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: client.ClientId,
          AuthParameters: { USERNAME: typed, PASSWORD: password, ...secretHashParams(client, typed) },
          ClientMetadata,
        }),
      );
      return await advance(rt, req, tx, out, complete);
    }
    const srp = await startSrpAsync();
    const init = await rt.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: client.ClientId,
        AuthParameters: { USERNAME: typed, SRP_A: srp.srpA, ...secretHashParams(client, typed) },
        ClientMetadata,
      }),
    );
    if (init.ChallengeName !== 'PASSWORD_VERIFIER') return await advance(rt, req, tx, init, complete);
    const claim = await passwordClaimAsync(srp, request.poolId, init.ChallengeParameters as unknown as PasswordVerifierParams, password, new Date(rt.clock.now()));
    tx.state.username = claim.USERNAME;
    const out = await rt.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: client.ClientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: init.Session,
        ChallengeResponses: { ...claim, ...secretHashParams(client, claim.USERNAME) },
        ClientMetadata,
      }),
    );
    return await advance(rt, req, tx, out, complete);
  } catch (e) {
    await saveTransaction(rt, tx);
    return failStep(rt, req, tx, e);
  }
}
