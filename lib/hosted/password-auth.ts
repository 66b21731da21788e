import { InitiateAuthCommand, RespondToAuthChallengeCommand, type UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from './runtime';
import { secretHashParams, type PoolAnswer } from './dialogue';
import { passwordClaimAsync, startSrpAsync, type PasswordVerifierParams } from '../pool-client/srp-client';

/**
 * A password sign-in against the pool, as the browser never does it: USER_SRP_AUTH run on the server
 * (the SRP client half in lib/pool-client), or USER_PASSWORD_AUTH for a client that allows only that.
 * Used by the sign-in form and by the account page's "type your password again".
 */
export type PasswordFlow = 'srp' | 'password';

/** Cognito's defaults when ExplicitAuthFlows is unset include SRP; legacy (non-ALLOW_) lists always allowed it. */
export function passwordFlowOf(client: UserPoolClientType): PasswordFlow | undefined {
  const flows = client.ExplicitAuthFlows ?? [];
  const modern = flows.some((f) => f.startsWith('ALLOW_'));
  if (flows.length === 0 || flows.includes('ALLOW_USER_SRP_AUTH') || !modern) return 'srp';
  if (flows.includes('ALLOW_USER_PASSWORD_AUTH')) return 'password';
  return undefined;
}

export interface PasswordAuthResult {
  /** The pool's last answer: tokens, a further challenge, or (SRP) an unexpected first challenge. */
  answer: PoolAnswer;
  /** The pool's own username (USER_ID_FOR_SRP), once SRP named it. */
  poolUsername?: string;
  /** The pool checked the password (and accepted it, or it would have thrown). */
  passwordChecked: boolean;
}

export async function passwordAuth(
  rt: HostedRuntime,
  client: UserPoolClientType & { ClientId: string },
  o: { poolId: string; flow: PasswordFlow; username: string; password: string; clientMetadata?: Record<string, string> },
): Promise<PasswordAuthResult> {
  const ClientMetadata = o.clientMetadata;
  if (o.flow === 'password') {
    const answer = await rt.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: client.ClientId,
        AuthParameters: { USERNAME: o.username, PASSWORD: o.password, ...secretHashParams(client, o.username) },
        ClientMetadata,
      }),
    );
    return { answer, passwordChecked: true };
  }
  const srp = await startSrpAsync();
  const init = await rt.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: client.ClientId,
      AuthParameters: { USERNAME: o.username, SRP_A: srp.srpA, ...secretHashParams(client, o.username) },
      ClientMetadata,
    }),
  );
  if (init.ChallengeName !== 'PASSWORD_VERIFIER') return { answer: init, passwordChecked: false };
  const claim = await passwordClaimAsync(srp, o.poolId, init.ChallengeParameters as unknown as PasswordVerifierParams, o.password, new Date(rt.clock.now()));
  const answer = await rt.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: client.ClientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: init.Session,
      ChallengeResponses: { ...claim, ...secretHashParams(client, claim.USERNAME) },
      ClientMetadata,
    }),
  );
  return { answer, poolUsername: claim.USERNAME, passwordChecked: true };
}
