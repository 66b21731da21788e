/**
 * Cognito's error shape: every failure the engine reports is a CognitoError with the exception name
 * clients branch on (`__type`) and Cognito's message text. HTTP 400 unless it is an internal fault.
 */
export class CognitoError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
  }
}

const make = (type: string) => (message: string) => new CognitoError(type, message);

export const errors = {
  notAuthorized: make('NotAuthorizedException'),
  invalidParameter: make('InvalidParameterException'),
  resourceNotFound: make('ResourceNotFoundException'),
  userNotFound: make('UserNotFoundException'),
  userNotConfirmed: make('UserNotConfirmedException'),
  passwordResetRequired: make('PasswordResetRequiredException'),
  codeMismatch: make('CodeMismatchException'),
  expiredCode: make('ExpiredCodeException'),
  invalidPassword: make('InvalidPasswordException'),
  usernameExists: make('UsernameExistsException'),
  aliasExists: make('AliasExistsException'),
  limitExceeded: make('LimitExceededException'),
  tooManyRequests: make('TooManyRequestsException'),
  tooManyFailedAttempts: make('TooManyFailedAttemptsException'),
  groupExists: make('GroupExistsException'),
  softwareTokenMfaNotFound: make('SoftwareTokenMFANotFoundException'),
  enableSoftwareTokenMfa: make('EnableSoftwareTokenMFAException'),
  invalidUserPoolConfiguration: make('InvalidUserPoolConfigurationException'),
  mfaMethodNotFound: make('MFAMethodNotFoundException'),
  unsupportedTokenType: make('UnsupportedTokenTypeException'),
  unsupportedOperation: make('UnsupportedOperationException'),
  unauthorized: make('UnauthorizedException'),
  refreshTokenReuse: make('RefreshTokenReuseException'),
  scopeDoesNotExist: make('ScopeDoesNotExistException'),
  invalidOAuthFlow: make('InvalidOAuthFlowException'),
  concurrentModification: make('ConcurrentModificationException'),
  userLambdaValidation: make('UserLambdaValidationException'),
  invalidLambdaResponse: make('InvalidLambdaResponseException'),
  unexpectedLambda: make('UnexpectedLambdaException'),
  unsupportedUserState: make('UnsupportedUserStateException'),
  userPoolTagging: make('UserPoolTaggingException'),
  internal: (message = 'Internal server error.') => new CognitoError('InternalErrorException', message, 500),
};

/** Messages clients (and people) recognise; kept in one place so every path says exactly the same. */
export const messages = {
  badCredentials: 'Incorrect username or password.',
  userDisabled: 'User is disabled.',
  attemptsExceeded: 'Password attempts exceeded',
  invalidSession: 'Invalid session for the user.',
  sessionExpired: 'Invalid session for the user, session is expired.',
  accessTokenExpired: 'Access Token has expired',
  accessTokenRevoked: 'Access Token has been revoked',
  invalidAccessToken: 'Invalid Access Token',
  accessTokenScopes: 'Access Token does not have required scopes',
  refreshTokenExpired: 'Refresh Token has expired',
  invalidRefreshToken: 'Invalid Refresh Token',
  refreshTokenRevoked: 'Refresh Token has been revoked',
  tempPasswordExpired: 'Temporary password has expired and must be reset by an administrator.',
  userNotConfirmed: 'User is not confirmed.',
  userDoesNotExist: 'User does not exist.',
  passwordResetRequired: 'Password reset required for the user',
  codeMismatch: 'Invalid verification code provided, please try again.',
  mfaCodeMismatch: 'Invalid code or auth state for the user.',
  expiredCode: 'Invalid code provided, please request a code again.',
  attemptLimit: 'Attempt limit exceeded, please try after some time.',
  missingSecretHash: (clientId: string) => `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
  badSecretHash: (clientId: string) => `Unable to verify secret hash for client ${clientId}`,
  clientNotFound: (clientId: string) => `User pool client ${clientId} does not exist.`,
  poolNotFound: (poolId: string) => `User pool ${poolId} does not exist.`,
  customAuthNotConfigured: 'Custom auth lambda trigger is not configured for the user pool.',
  unrecognizableLambdaOutput: 'Unrecognizable lambda output',
  lambdaFailed: (trigger: string, message: string) => `${trigger} failed with error ${message}.`,
};
