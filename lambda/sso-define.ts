import { ssoTriggers } from '../lib/triggers/sso';
import type { DefineAuthChallengeEvent } from '../lib/triggers/events';

/** Define Auth Challenge for Portico's single sign-on (docs/aws-triggers.md): one CUSTOM_CHALLENGE, then tokens. */
export const handler = async (event: DefineAuthChallengeEvent): Promise<DefineAuthChallengeEvent> => ssoTriggers({ env: process.env }).define(event);
