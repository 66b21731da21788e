/**
 * Cognito's Lambda trigger events for custom authentication (reference §7), as a Lambda receives them —
 * the same shapes as DefinitelyTyped's `aws-lambda` Cognito types, written out here so the triggers and
 * the embedded pool share them without that dependency. A handler returns the event with `response`
 * filled in.
 */
export type StringMap = Record<string, string>;

export interface CallerContext {
  awsSdkVersion: string;
  clientId: string;
}

interface TriggerEventBase<Source extends string, Request, Response> {
  version: string;
  triggerSource: Source;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: CallerContext;
  request: Request;
  response: Response;
}

/** One earlier round of the sign-in, as Define and Create see it. */
export interface ChallengeResult {
  challengeName:
    | 'SRP_A'
    | 'PASSWORD_VERIFIER'
    | 'CUSTOM_CHALLENGE'
    | 'SMS_MFA'
    | 'DEVICE_SRP_AUTH'
    | 'DEVICE_PASSWORD_VERIFIER'
    | 'ADMIN_NO_SRP_AUTH';
  challengeResult: boolean;
  challengeMetadata?: string;
}

export type DefineAuthChallengeEvent = TriggerEventBase<
  'DefineAuthChallenge_Authentication',
  { userAttributes: StringMap; session: ChallengeResult[]; clientMetadata?: StringMap; userNotFound?: boolean },
  { challengeName?: string; issueTokens?: boolean; failAuthentication?: boolean }
>;

export type CreateAuthChallengeEvent = TriggerEventBase<
  'CreateAuthChallenge_Authentication',
  { userAttributes: StringMap; challengeName: string; session: ChallengeResult[]; clientMetadata?: StringMap; userNotFound?: boolean },
  { publicChallengeParameters?: StringMap; privateChallengeParameters?: StringMap; challengeMetadata?: string }
>;

export type VerifyAuthChallengeResponseEvent = TriggerEventBase<
  'VerifyAuthChallengeResponse_Authentication',
  {
    userAttributes: StringMap;
    privateChallengeParameters: StringMap;
    challengeAnswer: string;
    clientMetadata?: StringMap;
    userNotFound?: boolean;
  },
  { answerCorrect?: boolean }
>;

/** A Lambda-style handler: async, the event in, the event (with its response) out. */
export type TriggerHandler<E> = (event: E) => Promise<E>;

export interface CustomAuthTriggers {
  define: TriggerHandler<DefineAuthChallengeEvent>;
  create: TriggerHandler<CreateAuthChallengeEvent>;
  verify: TriggerHandler<VerifyAuthChallengeResponseEvent>;
}
