import type {
  AdminInitiateAuthRequest,
  AdminInitiateAuthResponse,
  AdminRespondToAuthChallengeRequest,
  AdminRespondToAuthChallengeResponse,
  InitiateAuthRequest,
  InitiateAuthResponse,
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type Handler, type OpContext } from '../context';
import { errors, messages } from '../errors';
import { allowedFlows, requireClient } from '../clients';
import { requirePool } from '../pools';
import { refreshTokens } from '../refresh';
import { passwordSignIn, srpStart } from '../sign-in';
import { respondToChallenge } from '../challenges';
import { customAuthStart } from '../custom-auth';
import { autoSignIn } from '../sign-up-session';
import type { AuthStep, Flow } from '../auth-flow';

/** InitiateAuth / AdminInitiateAuth and the challenge answers (reference §3.3, §3.4). */
const notSupported = () => errors.invalidParameter('Initiate Auth method not supported.');

function requireFlow(flow: Flow, allow: string, name: string): void {
  if (!allowedFlows(flow.client).has(allow)) throw errors.invalidParameter(`${name} flow not enabled for this client`);
}

function param(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (!value) throw errors.invalidParameter(`Missing required parameter ${name}`);
  return value;
}

async function initiate(
  flow: Flow,
  authFlow: string | undefined,
  params: Record<string, string>,
  admin: boolean,
  session?: string,
): Promise<AuthStep> {
  switch (authFlow) {
    case 'USER_SRP_AUTH':
      requireFlow(flow, 'ALLOW_USER_SRP_AUTH', authFlow);
      return srpStart(flow, param(params, 'USERNAME'), param(params, 'SRP_A'), params['SECRET_HASH']);
    case 'USER_PASSWORD_AUTH':
      if (admin) throw notSupported();
      requireFlow(flow, 'ALLOW_USER_PASSWORD_AUTH', authFlow);
      return passwordSignIn(flow, param(params, 'USERNAME'), param(params, 'PASSWORD'), params['SECRET_HASH']);
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      if (!admin) throw notSupported();
      requireFlow(flow, 'ALLOW_ADMIN_USER_PASSWORD_AUTH', authFlow);
      return passwordSignIn(flow, param(params, 'USERNAME'), param(params, 'PASSWORD'), params['SECRET_HASH']);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN': {
      requireFlow(flow, 'ALLOW_REFRESH_TOKEN_AUTH', authFlow);
      const result = await refreshTokens(flow.ctx, {
        pool: flow.pool,
        client: flow.client,
        refreshToken: param(params, 'REFRESH_TOKEN'),
        secretHash: params['SECRET_HASH'],
        deviceKey: params['DEVICE_KEY'],
        clientMetadata: flow.clientMetadata,
        mode: 'initiate-auth',
      });
      return { ChallengeParameters: {}, AuthenticationResult: result };
    }
    case 'CUSTOM_AUTH':
      requireFlow(flow, 'ALLOW_CUSTOM_AUTH', authFlow);
      return customAuthStart(flow, params);
    case 'USER_AUTH':
      requireFlow(flow, 'ALLOW_USER_AUTH', authFlow);
      // Only the sign-in that follows a confirmed sign-up (ConfirmSignUp's Session) is implemented;
      // choice-based passwordless sign-in is not, so without a Session the flow stays refused as before.
      if (session && !admin) return autoSignIn(flow, param(params, 'USERNAME'), params['SECRET_HASH'], session);
      throw errors.unsupportedOperation('USER_AUTH is not supported by this user pool.');
    default:
      throw notSupported();
  }
}

/** AdminInitiateAuth names the pool; the client must belong to it. */
async function adminFlow(ctx: OpContext, poolId: string | undefined, clientId: string | undefined, clientMetadata?: Record<string, string>): Promise<Flow> {
  const pool = await requirePool(ctx.deps, poolId ?? '');
  const { client } = await requireClient(ctx.deps, clientId ?? '');
  if (client.poolId !== pool.id) throw errors.resourceNotFound(messages.clientNotFound(client.clientId));
  return { ctx, pool, client, clientMetadata };
}

async function publicFlow(ctx: OpContext, clientId: string | undefined, clientMetadata?: Record<string, string>): Promise<Flow> {
  const { client, pool } = await requireClient(ctx.deps, clientId ?? '');
  return { ctx, pool, client, clientMetadata };
}

export const authHandlers: Record<string, Handler> = {
  InitiateAuth: op<InitiateAuthRequest, InitiateAuthResponse>(async (input, ctx) => {
    const flow = await publicFlow(ctx, input.ClientId, input.ClientMetadata);
    return initiate(flow, input.AuthFlow, input.AuthParameters ?? {}, false, input.Session);
  }),
  AdminInitiateAuth: op<AdminInitiateAuthRequest, AdminInitiateAuthResponse>(async (input, ctx) => {
    const flow = await adminFlow(ctx, input.UserPoolId, input.ClientId, input.ClientMetadata);
    return initiate(flow, input.AuthFlow, input.AuthParameters ?? {}, true);
  }),
  RespondToAuthChallenge: op<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>(async (input, ctx) => {
    const flow = await publicFlow(ctx, input.ClientId, input.ClientMetadata);
    return respondToChallenge(flow, input.ChallengeName ?? '', input.ChallengeResponses ?? {}, input.Session);
  }),
  AdminRespondToAuthChallenge: op<AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse>(async (input, ctx) => {
    const flow = await adminFlow(ctx, input.UserPoolId, input.ClientId, input.ClientMetadata);
    return respondToChallenge(flow, input.ChallengeName ?? '', input.ChallengeResponses ?? {}, input.Session);
  }),
};
