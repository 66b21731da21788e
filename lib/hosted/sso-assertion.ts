import type { HostedRuntime } from './runtime';
import type { SsoSession } from './sso-session';
import { signSsoAssertion } from '../triggers/sso-claims';

/**
 * The hosted front's half of the SSO proof (issue 3, decision 2): a 60-second HS256 assertion, signed
 * with rt.ssoKey, that this browser holds a live hosted session for the user, for one app client. The
 * pool's Verify Auth Challenge trigger (lib/triggers/sso.ts) checks it; the claim names are shared
 * through lib/triggers/sso-claims.ts. It never reaches the browser.
 */
export function ssoAssertionFor(rt: HostedRuntime, clientId: string, session: SsoSession): Promise<string> {
  return signSsoAssertion(rt.ssoKey, {
    clientId,
    sub: session.data.sub,
    username: session.data.username,
    authTime: session.data.authTime,
    now: rt.clock.now(),
  });
}
