import { hkdfSync } from 'node:crypto';
import { settings } from '../config/env';
import { runtime } from '../userpool/runtime';
import { demoFile, readDemoFile } from './bootstrap';

/**
 * The configuration of the `/demo` relying party: an ordinary OIDC client of Portico (built with
 * next-auth) that happens to run in the same process. It knows Portico only as a client would — the
 * discovery URL, its client id and secret from the demo bootstrap (`{PORTICO_DATA}/demo.json`) — and
 * talks to it over HTTP.
 */
export interface DemoRelyingParty {
  poolId: string;
  clientId: string;
  clientSecret: string;
  /** The demo user's name, shown as a hint (the password stays in demo.json and the start-up log). */
  username: string;
  porticoUrl: string;
  /** `${PORTICO_URL}/demo`: the app's home and its registered sign-out URL. */
  demoUrl: string;
  wellKnown: string;
  userinfoEndpoint: string;
  /** NEXTAUTH_URL: under a sub-path it must include the auth base path (stack-notes G16). */
  nextAuthUrl: string;
  /** next-auth's secret, derived from Portico's secret key (so it survives restarts and is shared). */
  secret: string;
  /** Where next-auth's sign-out continues: Portico's /logout, Cognito mode A. */
  porticoLogoutUrl: string;
}

/** false when PORTICO_DEMO=off: every /demo route answers 404. */
export function demoEnabled(): boolean {
  return settings().demo;
}

const KEY = '__porticoDemoRp';
type Holder = { [KEY]?: DemoRelyingParty };

/** The demo's configuration, or undefined while the demo does not exist (yet) or is switched off. */
export async function demoRelyingParty(): Promise<DemoRelyingParty | undefined> {
  const s = settings();
  if (!s.demo) return undefined;
  const holder = globalThis as Holder;
  if (holder[KEY]) return holder[KEY];
  const details = readDemoFile(demoFile(s.dataDir));
  if (!details) return undefined;
  const { secrets } = await runtime();
  const porticoUrl = s.publicUrl;
  const demoUrl = `${porticoUrl}/demo`;
  const logout = new URLSearchParams({ client_id: details.clientId, logout_uri: demoUrl });
  holder[KEY] = {
    poolId: details.poolId,
    clientId: details.clientId,
    clientSecret: details.clientSecret,
    username: details.username,
    porticoUrl,
    demoUrl,
    wellKnown: `${porticoUrl}/${details.poolId}/.well-known/openid-configuration`,
    userinfoEndpoint: `${porticoUrl}/oauth2/userInfo`,
    nextAuthUrl: `${demoUrl}/api/auth`,
    secret: Buffer.from(hkdfSync('sha256', secrets.secretKey, 'portico', 'demo-nextauth-secret', 32)).toString('base64url'),
    porticoLogoutUrl: `${porticoUrl}/logout?${logout.toString()}`,
  };
  return holder[KEY];
}
