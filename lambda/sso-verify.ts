import { ssoTriggers } from '../lib/triggers/sso';
import type { VerifyAuthChallengeResponseEvent } from '../lib/triggers/events';

/**
 * Verify Auth Challenge Response for Portico's single sign-on: the answer must be an SSO assertion
 * signed with PORTICO_SSO_KEY. The environment is read on every call so a rotated key takes effect
 * without a cold start.
 */
export const handler = async (event: VerifyAuthChallengeResponseEvent): Promise<VerifyAuthChallengeResponseEvent> =>
  ssoTriggers({ env: process.env }).verify(event);
