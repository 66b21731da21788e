import { ssoTriggers } from '../lib/triggers/sso';
import type { CreateAuthChallengeEvent } from '../lib/triggers/events';

/** Create Auth Challenge for Portico's single sign-on: the PORTICO_SSO challenge, no parameters. */
export const handler = async (event: CreateAuthChallengeEvent): Promise<CreateAuthChallengeEvent> => ssoTriggers({ env: process.env }).create(event);
