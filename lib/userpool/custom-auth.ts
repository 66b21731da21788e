import { errors, messages } from './errors';
import { findUserByUsername, findUserForSignIn, type UserRecord } from './users';
import { checkSecretHash } from './secret-hash';
import { InvalidSrpA, parseSrpA } from './srp';
import { openPasswordVerifier } from './sign-in';
import { customAuthFor, type CustomAuthRunner } from './triggers';
import {
  afterPassword,
  baseState,
  carriedFrom,
  carriedOf,
  lockKeyFor,
  openChallenge,
  type AuthState,
  type AuthStep,
  type Carried,
  type Flow,
} from './auth-flow';
import { SSO_AUTH_TIME_METADATA } from '../triggers/sso-claims';
import type { ChallengeResult, StringMap } from '../triggers/events';

/**
 * CUSTOM_AUTH (reference §3.3, §7 "Custom auth semantics"): Define decides each round from the rounds
 * so far — a CUSTOM_CHALLENGE (Create makes it, the client answers, Verify judges), a PASSWORD_VERIFIER
 * when the client sent SRP_A, tokens, or failure. Every round is a new single-use Session. After
 * `issueTokens` the sign-in continues as after a password: user state, then MFA, then tokens.
 */
export interface CustomAuthState {
  rounds: ChallengeResult[];
  /** The open CUSTOM_CHALLENGE: what Create kept from the client, and its metadata. */
  privateParameters?: StringMap;
  metadata?: string;
  /** SRP_A from InitiateAuth (CHALLENGE_NAME=SRP_A), for a PASSWORD_VERIFIER round. */
  srpA?: string;
}

/** Bounds what a session carries; real custom flows take a handful of rounds. */
const MAX_ROUNDS = 20;

interface Round {
  flow: Flow;
  runner: CustomAuthRunner;
  user: UserRecord | undefined;
  typed: string;
  lockKey: string;
  carried: Carried;
  custom: CustomAuthState;
  /** Cognito hands ClientMetadata to Define/Create only on RespondToAuthChallenge, not on InitiateAuth. */
  respond: boolean;
}

const badCredentials = () => errors.notAuthorized(messages.badCredentials);

function hidesUsers(flow: Flow): boolean {
  return flow.client.config.PreventUserExistenceErrors === 'ENABLED';
}

function eventBase(r: Pick<Round, 'flow' | 'user' | 'typed'>) {
  return {
    version: '1',
    region: r.flow.ctx.deps.region,
    userPoolId: r.flow.pool.id,
    userName: r.user?.username ?? r.typed,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: r.flow.client.clientId },
  };
}

function userAttributes(user: UserRecord | undefined): StringMap {
  return user ? { ...user.attributes, 'cognito:user_status': user.status } : {};
}

export async function customAuthStart(flow: Flow, params: Record<string, string>): Promise<AuthStep> {
  const { deps } = flow.ctx;
  const typed = params['USERNAME'];
  if (!typed) throw errors.invalidParameter('Missing required parameter USERNAME');
  const runner = customAuthFor(deps, flow.pool);
  const custom: CustomAuthState = { rounds: [] };
  if (params['CHALLENGE_NAME'] === 'SRP_A') {
    const srpA = params['SRP_A'];
    if (!srpA) throw errors.invalidParameter('Missing required parameter SRP_A');
    validSrpA(srpA);
    custom.srpA = srpA;
    custom.rounds.push({ challengeName: 'SRP_A', challengeResult: true });
  }
  const user = await findUserForSignIn(deps, flow.pool, typed);
  checkSecretHash(flow.client, params['SECRET_HASH'], [typed, user?.username]);
  if (!user && !hidesUsers(flow)) throw errors.userNotFound(messages.userDoesNotExist);
  if (user && !user.enabled) throw errors.notAuthorized(messages.userDisabled);
  return nextRound({
    flow,
    runner,
    user,
    typed,
    lockKey: lockKeyFor(flow.pool, user, typed),
    carried: carriedOf(flow),
    custom,
    respond: false,
  });
}

function validSrpA(srpA: string): bigint {
  try {
    return parseSrpA(srpA);
  } catch (e) {
    if (e instanceof InvalidSrpA) throw errors.invalidParameter('Invalid SRP_A value.');
    throw e;
  }
}

/** The live user of a session (none for a simulated one), or Cognito's session errors. */
async function sessionUser(flow: Flow, state: AuthState): Promise<UserRecord | undefined> {
  if (state.simulated) return undefined;
  const user = await findUserByUsername(flow.ctx.deps, flow.pool, state.username);
  if (!user) throw errors.notAuthorized(messages.invalidSession);
  if (!user.enabled) throw errors.notAuthorized(messages.userDisabled);
  return user;
}

/** RespondToAuthChallenge CUSTOM_CHALLENGE {ANSWER}: Verify judges, then Define decides again. */
export async function answerCustomChallenge(flow: Flow, state: AuthState, answer: string): Promise<AuthStep> {
  const custom = state.custom;
  if (!custom) throw errors.notAuthorized(messages.invalidSession);
  const user = await sessionUser(flow, state);
  const runner = customAuthFor(flow.ctx.deps, flow.pool);
  const metadata = flow.clientMetadata;
  const r = { flow, user, typed: state.typed };
  const correct = await runner.verify({
    ...eventBase(r),
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: {
      userAttributes: userAttributes(user),
      privateChallengeParameters: custom.privateParameters ?? {},
      challengeAnswer: answer,
      ...(metadata ? { clientMetadata: metadata } : {}),
      userNotFound: !user,
    },
    response: {},
  });
  let carried = carriedFrom(state);
  // Portico's own Verify trigger checked that the SSO assertion carries exactly this auth_time: the
  // tokens then tell the time of the interactive sign-in behind the hosted session. No other trigger
  // (nor a bare ClientMetadata value) can set auth_time.
  const assertedAuthTime = metadata?.[SSO_AUTH_TIME_METADATA];
  if (correct && runner.builtInVerify && assertedAuthTime !== undefined && /^[0-9]{1,12}$/.test(assertedAuthTime)) {
    carried = { ...carried, authTime: Number(assertedAuthTime) };
  }
  const round: ChallengeResult = {
    challengeName: 'CUSTOM_CHALLENGE',
    challengeResult: correct,
    ...(custom.metadata !== undefined ? { challengeMetadata: custom.metadata } : {}),
  };
  return nextRound({
    flow,
    runner,
    user,
    typed: state.typed,
    lockKey: state.lockKey,
    carried,
    custom: { rounds: [...custom.rounds, round], ...(custom.srpA ? { srpA: custom.srpA } : {}) },
    respond: true,
  });
}

/** A PASSWORD_VERIFIER round of a custom sign-in was answered with the right password. */
export async function customAuthAfterPassword(flow: Flow, state: AuthState, user: UserRecord): Promise<AuthStep> {
  const custom = state.custom;
  if (!custom) throw errors.notAuthorized(messages.invalidSession);
  return nextRound({
    flow,
    runner: customAuthFor(flow.ctx.deps, flow.pool),
    user,
    typed: state.typed,
    lockKey: state.lockKey,
    carried: carriedFrom(state),
    custom: { rounds: [...custom.rounds, { challengeName: 'PASSWORD_VERIFIER', challengeResult: true }] },
    respond: true,
  });
}

async function nextRound(r: Round): Promise<AuthStep> {
  const { flow, user, custom } = r;
  if (custom.rounds.length > MAX_ROUNDS) throw badCredentials();
  const metadata = r.respond && flow.clientMetadata ? { clientMetadata: flow.clientMetadata } : {};
  const decision = await r.runner.define({
    ...eventBase(r),
    triggerSource: 'DefineAuthChallenge_Authentication',
    request: { userAttributes: userAttributes(user), session: custom.rounds, ...metadata, userNotFound: !user },
    response: {},
  });
  if (decision.failAuthentication) throw badCredentials();
  if (decision.issueTokens) {
    if (!user) throw badCredentials();
    return afterPassword(flow, user, baseState(user, r.typed, r.lockKey, r.carried));
  }
  const rest = { typed: r.typed, lockKey: r.lockKey, ...r.carried };
  switch (decision.challengeName) {
    case 'CUSTOM_CHALLENGE': {
      const created = await r.runner.create({
        ...eventBase(r),
        triggerSource: 'CreateAuthChallenge_Authentication',
        request: { userAttributes: userAttributes(user), challengeName: 'CUSTOM_CHALLENGE', session: custom.rounds, ...metadata, userNotFound: !user },
        response: {},
      });
      const username = user?.username ?? r.typed;
      const state: AuthState = {
        ...rest,
        challenge: 'CUSTOM_CHALLENGE',
        username,
        ...(user ? {} : { simulated: true }),
        custom: {
          rounds: custom.rounds,
          privateParameters: created.privateChallengeParameters,
          ...(created.challengeMetadata !== undefined ? { metadata: created.challengeMetadata } : {}),
          ...(custom.srpA ? { srpA: custom.srpA } : {}),
        },
      };
      return openChallenge(flow, state, { ...created.publicChallengeParameters, USERNAME: username });
    }
    case 'PASSWORD_VERIFIER':
      if (!custom.srpA) throw errors.invalidParameter('Missing required parameter SRP_A');
      return openPasswordVerifier(flow, user, { ...rest, custom: { rounds: custom.rounds } }, validSrpA(custom.srpA));
    default:
      throw errors.invalidLambdaResponse(messages.unrecognizableLambdaOutput);
  }
}
